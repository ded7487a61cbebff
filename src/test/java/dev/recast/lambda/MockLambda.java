package dev.recast.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recast.testing.LabRegistry;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Invokes the function through Quarkus's mock Lambda event server, as the Lambda runtime would. */
final class MockLambda {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private MockLambda() {
    }

    /**
     * A Lambda test profile's settings: the mock event server on {@code events}, no ECR token exchange, the plain lab
     * registry allowed, AWS SDK credentials for the local endpoints, and {@code more} on top.
     */
    static Map<String, String> settings(int events, Map<String, String> more) {
        System.setProperty("aws.accessKeyId", "AKIDTEST");
        System.setProperty("aws.secretAccessKey", "test-secret-key");
        Map<String, String> settings = new HashMap<>(Map.of("quarkus.lambda.mock-event-server.test-port", String.valueOf(events),
                "recast.lambda.ecr-auth", "false", "recast.registries.allowed", LabRegistry.plain().host()));
        settings.putAll(more);
        return settings;
    }

    /** Posts one event to the mock event server on {@code port}; answers what the handler returned. */
    static JsonNode invoke(int port, JsonNode event) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(event))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    /** A function URL / HTTP API payload 2.0 request event. */
    static ObjectNode httpEvent(String method, String path, String body, boolean base64, Map<String, String> headers) {
        ObjectNode event = JSON.createObjectNode().put("version", "2.0").put("routeKey", "$default").put("rawPath", path)
                .put("rawQueryString", "");
        ObjectNode h = event.putObject("headers");
        headers.forEach((k, v) -> h.put(k.toLowerCase(Locale.ROOT), v));
        event.putObject("requestContext").putObject("http").put("method", method).put("path", path);
        if (body != null) {
            event.put("body", base64 ? Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)) : body);
            event.put("isBase64Encoded", base64);
        }
        return event;
    }
}
