package dev.recast.api;

import dev.recast.testing.HttpServerTest;
import dev.recast.testing.LabRegistry;
import dev.recast.webhook.WebhookVerifier;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With credentials, an API token and webhook secrets configured, no secret appears in any log line or response. */
@QuarkusTest
@TestProfile(SecretsStayHiddenTest.WithSecrets.class)
@Tag("registry")
@Tag("quarkus")
class SecretsStayHiddenTest extends HttpServerTest {
    static final String TOKEN = "api-t0ken-" + UUID.randomUUID();

    @Override
    protected String token() {
        return TOKEN;
    }
    static final String WEBHOOK = "hook-s3cret-" + UUID.randomUUID();
    static final Path LOG = Path.of("target", "secrets-test.log").toAbsolutePath();

    public static class WithSecrets implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("recast.api.token", TOKEN,
                    "recast.registries.credentials", LabRegistry.htpasswd().host() + "=" + LabRegistry.USER + ":" + LabRegistry.PASSWORD,
                    "recast.webhooks.distribution.secret", WEBHOOK,
                    "recast.webhooks.github.secret", WEBHOOK,
                    "quarkus.log.file.enabled", "true",
                    "quarkus.log.file.path", LOG.toString(),
                    "quarkus.log.category.\"dev.recast\".level", "DEBUG");
        }
    }

    @Test
    void noSecretInLogsOrResponses() throws Exception {
        LabRegistry secured = LabRegistry.htpasswd();
        List<Response> responses = new ArrayList<>();
        String source = secured.host() + "/fixtures/hello:v2s2";
        responses.add(given().header("Authorization", "Bearer " + TOKEN).contentType(ContentType.JSON)
                .body(Map.of("source", source, "target", secured.host() + "/fixtures/hello:" + UUID.randomUUID().toString().substring(0, 8)))
                .post("/v1/conversions"));
        assertEquals(200, responses.getLast().statusCode(), responses.getLast().asString());
        responses.add(given().header("Authorization", "Bearer " + TOKEN).contentType(ContentType.JSON).accept("application/x-ndjson")
                .body(Map.of("source", source, "dryRun", true)).post("/v1/conversions"));
        responses.add(given().header("Authorization", "Bearer " + TOKEN).queryParam("ref", source).get("/v1/images"));
        responses.add(given().header("Authorization", "Bearer " + TOKEN).contentType(ContentType.JSON)
                .body(Map.of("source", secured.host() + "/fixtures/none:x")).post("/v1/conversions"));
        responses.add(given().header("Authorization", "Bearer not-" + TOKEN).queryParam("ref", source).get("/v1/images"));
        responses.add(given().header("Authorization", "Bearer " + TOKEN).contentType(ContentType.JSON)
                .body(Map.of("source", LabRegistry.token().host() + "/fixtures/hello:v2s2")).post("/v1/conversions"));

        String push = "{\"events\":[{\"action\":\"push\",\"target\":{\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\","
                + "\"repository\":\"fixtures/hello\",\"tag\":\"v2s2\",\"digest\":\"sha256:b039227e30ab044348bb059224a0887f1c7f1565877daf81d5627163495d146a\"},"
                + "\"request\":{\"host\":\"" + secured.host() + "\"}}]}";
        responses.add(given().header("Authorization", "Bearer " + WEBHOOK).contentType(ContentType.JSON).body(push)
                .post("/v1/webhooks/distribution"));
        responses.add(given().header("Authorization", "Bearer " + WEBHOOK + "x").contentType(ContentType.JSON).body(push)
                .post("/v1/webhooks/distribution"));
        byte[] ping = "{\"zen\":\"hi\"}".getBytes(StandardCharsets.UTF_8);
        responses.add(given().header("X-Hub-Signature-256", "sha256=" + WebhookVerifier.hmac(WEBHOOK, ping))
                .contentType(ContentType.JSON).body(ping).post("/v1/webhooks/github"));
        responses.add(given().get("/q/metrics"));
        Thread.sleep(3000);

        List<String> secrets = List.of(LabRegistry.PASSWORD, TOKEN, WEBHOOK, dev.recast.testing.TokenIssuer.PASSWORD,
                Base64.getEncoder().encodeToString((LabRegistry.USER + ":" + LabRegistry.PASSWORD).getBytes(StandardCharsets.UTF_8)));
        String log = Files.readString(LOG);
        assertTrue(log.contains("conversion source=" + source), "the log was captured");
        for (String secret : secrets) {
            assertFalse(log.contains(secret), "a secret is in the log: " + secret.substring(0, 4) + "…");
            for (Response response : responses) {
                assertFalse(response.asString().contains(secret), "a secret is in a response body");
                assertFalse(response.headers().toString().contains(secret), "a secret is in response headers");
            }
        }
    }
}
