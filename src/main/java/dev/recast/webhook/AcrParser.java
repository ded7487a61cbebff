package dev.recast.webhook;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/** Azure Container Registry: one event per delivery, {@code action == "push"}. */
public final class AcrParser implements WebhookParser {

    @Override
    public List<PushEvent> parse(JsonNode body) {
        String action = WebhookParser.text(body, "action");
        if (action == null) {
            throw WebhookParser.malformed("ACR", "no 'action'");
        }
        if (!action.equals("push")) {
            return List.of();
        }
        JsonNode target = body.path("target");
        String host = WebhookParser.text(body.path("request"), "host");
        String repository = WebhookParser.text(target, "repository");
        if (host == null || repository == null) {
            throw WebhookParser.malformed("ACR", "no request.host or target.repository");
        }
        return List.of(new PushEvent(host, repository, WebhookParser.text(target, "tag"),
                WebhookParser.digest(WebhookParser.text(target, "digest")), WebhookParser.text(target, "mediaType"), null));
    }
}
