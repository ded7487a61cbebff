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
final class WebhookSamples {
    static final ObjectMapper JSON = new ObjectMapper();

    private WebhookSamples() {
    }

    static ObjectNode sample(String file) {
        Path path = LabRegistry.labScripts().getParent().resolve("reference/webhook-samples").resolve(file);
        try {
            return (ObjectNode) JSON.readTree(Files.readAllBytes(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
