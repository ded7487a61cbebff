package dev.recast.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recast.model.MediaType;

import java.util.ArrayList;
import java.util.List;

/**
 * CNCF distribution notifications (also GitLab's registry): an envelope of events; only pushes of manifests and
 * indexes count, blob pushes are ignored.
 */
public final class DistributionParser implements WebhookParser {

    @Override
    public List<PushEvent> parse(JsonNode body) {
        JsonNode events = body.get("events");
        if (events == null || !events.isArray()) {
            throw WebhookParser.malformed("distribution", "no 'events' array");
        }
        List<PushEvent> pushes = new ArrayList<>();
        for (JsonNode event : events) {
            JsonNode target = event.path("target");
            String type = WebhookParser.text(target, "mediaType");
            if (!"push".equals(WebhookParser.text(event, "action")) || type == null || !isManifest(type)) {
                continue;
            }
            String host = WebhookParser.text(event.path("request"), "host");
            if (host == null) {
                host = WebhookParser.host(WebhookParser.text(target, "url"));
            }
            String repository = WebhookParser.text(target, "repository");
            if (host == null || repository == null) {
                throw WebhookParser.malformed("distribution", "a push event without request.host or target.repository");
            }
            pushes.add(new PushEvent(host, repository, WebhookParser.text(target, "tag"),
                    WebhookParser.digest(WebhookParser.text(target, "digest")), type,
                    WebhookParser.text(event.path("actor"), "name")));
        }
        return pushes;
    }

    static boolean isManifest(String type) {
        try {
            MediaType mediaType = MediaType.of(type);
            return mediaType.isImageManifest() || mediaType.isIndex();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
