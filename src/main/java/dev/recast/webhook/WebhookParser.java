package dev.recast.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.model.Digest;

import java.util.List;

/** Turns one provider's payload into push events; anything that is not a push gives an empty list. */
public interface WebhookParser {

    List<PushEvent> parse(JsonNode body);

    /** A text field, or null when absent or not text. */
    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() && !value.textValue().isBlank() ? value.textValue() : null;
    }

    /** A digest field, or null; a malformed digest is a bad payload. */
    static Digest digest(String value) {
        if (value == null) {
            return null;
        }
        String full = value.contains(":") ? value : "sha256:" + value;
        try {
            return Digest.parse(full);
        } catch (RecastException e) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "the payload's digest is malformed: " + e.detail());
        }
    }

    /** The host of a URL or of a {@code host/path} string. */
    static String host(String urlOrReference) {
        if (urlOrReference == null) {
            return null;
        }
        String rest = urlOrReference.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "");
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }

    static RecastException malformed(String provider, String why) {
        return new RecastException(ErrorKind.BAD_REQUEST, "not a " + provider + " webhook payload: " + why);
    }
}
