package dev.recast.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recast.testing.LabRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The providers' sample payloads from ../shared/reference/webhook-samples. */
public final class WebhookSamples {
    static final ObjectMapper JSON = new ObjectMapper();

    private WebhookSamples() {
    }

    public static ObjectNode sample(String file) {
        Path path = LabRegistry.labScripts().getParent().resolve("reference/webhook-samples").resolve(file);
        try {
            return (ObjectNode) JSON.readTree(Files.readAllBytes(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** distribution's push sample, rewritten to name this registry host and repository. */
    public static ObjectNode distributionPush(String host, String repository) {
        ObjectNode body = sample("distribution-push.json");
        body.withArray("events").forEach(e -> {
            ((ObjectNode) e.get("target")).put("repository", repository);
            ((ObjectNode) e.get("request")).put("host", host);
        });
        return body;
    }

    /** distribution's push sample for this host, repository, tag and manifest digest. */
    public static ObjectNode distributionPush(String host, String repository, String tag, String digest) {
        ObjectNode body = distributionPush(host, repository);
        body.withArray("events").forEach(e -> ((ObjectNode) e.get("target")).put("tag", tag).put("digest", digest));
        return body;
    }

    static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
