package dev.recast.webhook;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** Quay's "push to repository" notification: the repository and the tags it updated, no digest. */
public final class QuayParser implements WebhookParser {

    @Override
    public List<PushEvent> parse(JsonNode body) {
        String dockerUrl = WebhookParser.text(body, "docker_url");
        String repository = WebhookParser.text(body, "repository");
        JsonNode tags = body.get("updated_tags");
        if (dockerUrl == null || repository == null || tags == null || !tags.isArray()) {
            throw WebhookParser.malformed("Quay", "no docker_url, repository or updated_tags");
        }
        List<PushEvent> pushes = new ArrayList<>();
        for (JsonNode tag : tags) {
            if (tag.isTextual()) {
                pushes.add(new PushEvent(WebhookParser.host(dockerUrl), repository, tag.textValue(), null, null, null));
            }
        }
        return pushes;
    }
}
