package dev.recast.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recast.RecastException;
import dev.recast.registry.reference.RegistryReference;

import java.io.IOException;
import java.util.Base64;
import java.util.List;

/** Google Artifact Registry through a Pub/Sub push subscription: the message data is a base64 JSON event. */
public final class GarParser implements WebhookParser {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public List<PushEvent> parse(JsonNode body) {
        String data = WebhookParser.text(body.path("message"), "data");
        if (data == null) {
            throw WebhookParser.malformed("Pub/Sub push", "no message.data");
        }
        JsonNode event;
        try {
            event = JSON.readTree(Base64.getDecoder().decode(data));
        } catch (IllegalArgumentException | IOException e) {
            throw WebhookParser.malformed("Pub/Sub push", "message.data is not base64 JSON");
        }
        if (!"INSERT".equals(WebhookParser.text(event, "action"))) {
            return List.of();
        }
        String tagRef = WebhookParser.text(event, "tag");
        String digestRef = WebhookParser.text(event, "digest");
        if (tagRef == null && digestRef == null) {
            throw WebhookParser.malformed("Artifact Registry", "neither tag nor digest");
        }
        try {
            RegistryReference byDigest = digestRef == null ? null : RegistryReference.parse(digestRef);
            RegistryReference byTag = tagRef == null ? null : RegistryReference.parse(tagRef);
            RegistryReference any = byDigest != null ? byDigest : byTag;
            return List.of(new PushEvent(any.registry(), any.repository(), byTag == null ? null : byTag.tag(),
                    byDigest == null ? null : byDigest.digest(), null, null));
        } catch (RecastException e) {
            throw WebhookParser.malformed("Artifact Registry", e.detail());
        }
    }
}
