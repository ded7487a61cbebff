package dev.recast.lambda;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.api.Problem;
import dev.recast.api.ProblemMappers;
import io.quarkus.runtime.LaunchMode;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.ConfigProvider;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Serves a function URL / API Gateway HTTP API (payload 2.0) event with the same code as the HTTP service: the request
 * goes to this process's own HTTP server on loopback, so routing, the API token, webhook signatures (over the decoded
 * raw body) and problem+json errors are exactly the service's. Unless {@code recast.lambda.expose-api} is on, only
 * webhook deliveries are forwarded; the request always reaches the service with its loopback address as Host.
 */
@ApplicationScoped
public class HttpEventRouter {
    private static final Set<String> HOP_BY_HOP = Set.of("host", "content-length", "connection", "transfer-encoding",
            "upgrade", "expect", "keep-alive", "te", "trailer");
    /** Not forwarded either: the service must see its own loopback address as the host, whoever called the URL. */
    private static final Set<String> HOST_OVERRIDES = Set.of("forwarded", "x-forwarded-host", "x-forwarded-server");
    /**
     * Paths the service routes as they read: no dot segment, empty segment or percent-encoding, which it could resolve
     * to another path than the one checked here or by its own filters.
     */
    private static final Pattern PLAIN_PATH = Pattern.compile("(/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*/?");
    private static final Pattern WEBHOOK_PATH = Pattern.compile("/v1/webhooks/[A-Za-z0-9_-]+");
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json;
    private final LambdaConfig config;

    public HttpEventRouter(ObjectMapper json, LambdaConfig config) {
        this.json = json;
        this.config = config;
    }

    public static boolean isHttpEvent(JsonNode event) {
        return event.has("requestContext") && event.path("requestContext").has("http") && event.has("rawPath");
    }

    public JsonNode route(JsonNode event) {
        String method = event.path("requestContext").path("http").path("method").asText("GET").toUpperCase(Locale.ROOT);
        String path = event.path("rawPath").asText("/");
        if (!PLAIN_PATH.matcher(path).matches() || !(config.exposeApi() || WEBHOOK_PATH.matcher(path).matches())) {
            return notServed();
        }
        String query = event.path("rawQueryString").asText("");
        byte[] body = body(event);
        URI uri = URI.create("http://127.0.0.1:" + localPort() + path + (query.isEmpty() ? "" : "?" + query));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(15))
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        event.path("headers").properties().forEach(header -> {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(name) && !HOST_OVERRIDES.contains(name)) {
                request.header(header.getKey(), header.getValue().asText());
            }
        });
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            ObjectNode out = json.createObjectNode().put("statusCode", response.statusCode());
            ObjectNode headers = out.putObject("headers");
            response.headers().map().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                    headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values));
                }
            });
            boolean text = headers.path("content-type").asText("").matches("(?i).*(json|text|ndjson).*");
            out.put("body", text ? new String(response.body(), StandardCharsets.UTF_8)
                    : Base64.getEncoder().encodeToString(response.body()));
            out.put("isBase64Encoded", !text);
            return out;
        } catch (IOException e) {
            throw new RecastException(ErrorKind.IO, "the function's HTTP service did not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RecastException(ErrorKind.IO, "interrupted", e);
        }
    }

    /** A path the function URL does not serve, answered as the service answers an unknown one, without reaching it. */
    private JsonNode notServed() {
        Problem problem = ProblemMappers.problem(new RecastException(ErrorKind.NOT_FOUND,
                "this function URL serves only /v1/webhooks/{provider}"
                + (config.exposeApi() ? " and the REST API, at plain paths" : "")));
        ObjectNode out = json.createObjectNode().put("statusCode", problem.status());
        out.putObject("headers").put("content-type", Problem.MEDIA_TYPE);
        try {
            out.put("body", json.writeValueAsString(problem));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return out.put("isBase64Encoded", false);
    }

    private static byte[] body(JsonNode event) {
        JsonNode body = event.get("body");
        if (body == null || body.isNull()) {
            return new byte[0];
        }
        if (event.path("isBase64Encoded").asBoolean(false)) {
            try {
                return Base64.getDecoder().decode(body.asText());
            } catch (IllegalArgumentException e) {
                throw new RecastException(ErrorKind.BAD_REQUEST, "the event says its body is base64, but it is not");
            }
        }
        return body.asText().getBytes(StandardCharsets.UTF_8);
    }

    /** The port this process's HTTP server listens on (Quarkus records the real one when 0 was asked). */
    private static int localPort() {
        String key = LaunchMode.current() == LaunchMode.TEST ? "quarkus.http.test-port" : "quarkus.http.port";
        return ConfigProvider.getConfig().getOptionalValue(key, Integer.class).orElse(8080);
    }
}
