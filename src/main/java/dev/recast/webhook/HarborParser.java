package dev.recast.webhook;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** Harbor, in its default format ({@code PUSH_ARTIFACT}) and as CloudEvents ({@code harbor.artifact.pushed}). */
public final class HarborParser implements WebhookParser {

    @Override
    public List<PushEvent> parse(JsonNode body) {
        String type = WebhookParser.text(body, "type");
        JsonNode data;
        String operator;
        if ("PUSH_ARTIFACT".equals(type)) {
            data = body.path("event_data");
            operator = WebhookParser.text(body, "operator");
        } else if ("harbor.artifact.pushed".equals(type)) {
            data = body.path("data");
            operator = WebhookParser.text(body, "operator");
        } else if (type == null) {
            throw WebhookParser.malformed("Harbor", "no 'type'");
        } else {
            return List.of();
        }
        String repository = WebhookParser.text(data.path("repository"), "repo_full_name");
        List<PushEvent> pushes = new ArrayList<>();
        for (JsonNode resource : data.path("resources")) {
            String host = WebhookParser.host(WebhookParser.text(resource, "resource_url"));
            if (host == null || repository == null) {
                throw WebhookParser.malformed("Harbor", "a resource without resource_url or a repository without repo_full_name");
            }
            pushes.add(new PushEvent(host, repository, WebhookParser.text(resource, "tag"),
                    WebhookParser.digest(WebhookParser.text(resource, "digest")), null, operator));
        }
        return pushes;
    }
}
