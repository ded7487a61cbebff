package dev.recast.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.testing.LabRegistry;
import dev.recast.webhook.WebhookSamples;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.ConfigValue;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The function as the Terraform module deploys it: its webhook secret and API token come from Secrets Manager (a
 * local endpoint speaking its JSON protocol), read once at start and in force; the REST API is not exposed, so the
 * function URL serves only webhook deliveries.
 */
@QuarkusTest
@TestProfile(LambdaSecretsTest.Profile.class)
@Tag("registry")
@Tag("quarkus")
class LambdaSecretsTest {
    static final int EVENTS = LabRegistry.freePort();
    static final String SETTINGS_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:recast/settings-AbCdEf";
    static final String TOKEN_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:recast/api-token-GhIjKl";
    static final String WEBHOOK_SECRET = "webhook-" + UUID.randomUUID();
    static final String API_TOKEN = "token-" + UUID.randomUUID();
    private static final ObjectMapper JSON = new ObjectMapper();
    static final FakeAws SECRETS_MANAGER = new FakeAws(Map.of("secretsmanager.GetSecretValue", LambdaSecretsTest::secret));

    /** GetSecretValue as Secrets Manager answers it, for the two secrets the function is given. */
    private static String secret(String request) {
        try {
            String arn = JSON.readTree(request).path("SecretId").asText();
            String value = switch (arn) {
                case SETTINGS_ARN -> JSON.writeValueAsString(Map.of("recast.webhooks.distribution.secret", WEBHOOK_SECRET));
                case TOKEN_ARN -> API_TOKEN + "\n";
                default -> null;
            };
            return value == null ? null : JSON.writeValueAsString(Map.of("ARN", arn, "Name", arn, "SecretString", value));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // no secret among these: the values come from the settings and token secrets
            return MockLambda.settings(EVENTS, Map.of("recast.webhooks.synchronous", "true",
                    "recast.lambda.settings-secret-arn", SETTINGS_ARN,
                    "recast.lambda.api-token-secret-arn", TOKEN_ARN,
                    "recast.lambda.aws-endpoint-override", SECRETS_MANAGER.url(),
                    "recast.lambda.region", "eu-west-1"));
        }
    }

    private final LabRegistry lab = LabRegistry.plain();

    private JsonNode invoke(JsonNode event) throws Exception {
        return MockLambda.invoke(EVENTS, event);
    }

    private String freshRepository() {
        String repo = "lambda/secret-" + UUID.randomUUID().toString().substring(0, 8);
        LabRegistry.copy(lab.host() + "/fixtures/hello:v2s2", lab.host() + "/" + repo + ":1.4.2");
        return repo;
    }

    /** Each secret was read once, when the function started, whatever the tests did since. */
    private void assertEachSecretReadOnce() {
        List<String> reads = SECRETS_MANAGER.calls;
        assertEquals(2, reads.size(), reads.toString());
        assertTrue(reads.stream().anyMatch(call -> call.contains(SETTINGS_ARN)), reads.toString());
        assertTrue(reads.stream().anyMatch(call -> call.contains(TOKEN_ARN)), reads.toString());
    }

    @Test
    void theSettingsSecretIsReadAtStartAndItsWebhookSecretAuthenticatesDeliveries() throws Exception {
        assertEachSecretReadOnce();
        ConfigValue fromSecret = ConfigProvider.getConfig().getConfigValue("recast.webhooks.distribution.secret");
        assertTrue(fromSecret.getSourceName().contains("Secrets Manager"), fromSecret.getSourceName());
        assertTrue(fromSecret.getSourceOrdinal() > 300, "outranks environment variables: " + fromSecret.getSourceOrdinal());

        String repo = freshRepository();
        String payload = JSON.writeValueAsString(WebhookSamples.distributionPush(lab.host(), repo));
        JsonNode forged = invoke(MockLambda.httpEvent("POST", "/v1/webhooks/distribution", payload, false,
                Map.of("Content-Type", "application/json", "Authorization", "Bearer not-the-secret")));
        assertEquals(401, forged.path("statusCode").asInt(), forged.toString());
        assertEquals(List.of("1.4.2"), lab.tags(repo));

        JsonNode signed = invoke(MockLambda.httpEvent("POST", "/v1/webhooks/distribution", payload, false,
                Map.of("Content-Type", "application/json", "Authorization", "Bearer " + WEBHOOK_SECRET,
                        "Host", "abc.lambda-url.eu-west-1.on.aws", "X-Forwarded-Host", "abc.lambda-url.eu-west-1.on.aws")));
        assertEquals(200, signed.path("statusCode").asInt(), signed.toString());
        assertTrue(signed.path("body").asText().contains("converted"), signed.toString());
        assertEquals(List.of("1.4.2", "1.4.2-oci"), lab.imageTags(repo));
        assertEachSecretReadOnce();
    }

    @Test
    void theApiTokenSecretGuardsTheApi() throws Exception {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        URI images = URI.create("http://127.0.0.1:" + port + "/v1/images?ref="
                + URLEncoder.encode(lab.host() + "/fixtures/hello:v2s2", StandardCharsets.UTF_8));
        HttpClient http = HttpClient.newHttpClient();
        assertEquals(401, http.send(HttpRequest.newBuilder(images).build(), HttpResponse.BodyHandlers.discarding()).statusCode());
        HttpResponse<String> inspected = http.send(HttpRequest.newBuilder(images).header("Authorization", "Bearer " + API_TOKEN)
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, inspected.statusCode(), inspected.body());
        assertEachSecretReadOnce();
    }

    @Test
    void withoutExposeApiTheFunctionUrlServesOnlyWebhooks() throws Exception {
        String repo = "lambda/not-served-" + UUID.randomUUID().toString().substring(0, 8);
        String body = JSON.writeValueAsString(Map.of("source", lab.host() + "/fixtures/hello:v2s2", "target", lab.host() + "/" + repo + ":1"));
        Map<String, String> authorized = Map.of("Content-Type", "application/json", "Authorization", "Bearer " + API_TOKEN);
        for (String path : List.of("/v1/conversions", "/v1/webhooks/../conversions", "/v1/webhooks/%2e%2e/conversions",
                "/v1/webhooks/distribution/../../conversions", "/v1//conversions")) {
            JsonNode refused = invoke(MockLambda.httpEvent("POST", path, body, false, authorized));
            assertEquals(404, refused.path("statusCode").asInt(), path + " " + refused);
            assertEquals("application/problem+json", refused.path("headers").path("content-type").asText(), refused.toString());
            assertEquals("urn:recast:problem:not-found", JSON.readTree(refused.path("body").asText()).path("type").asText());
        }
        for (String path : List.of("/v1/images", "/v1/indexes", "/q/health", "/q/metrics", "/q/openapi", "/")) {
            assertEquals(404, invoke(MockLambda.httpEvent("GET", path, null, false, authorized)).path("statusCode").asInt(), path);
        }
        assertEquals(List.of(), lab.tags(repo), "nothing reached the API");
    }

    @Test
    void aSettingsSecretMayNotSetTheTokenNorWhereSecretsComeFrom() {
        for (String key : List.of("recast.api.token", "recast.api.anonymous", "recast.lambda.expose-api", "quarkus.http.host")) {
            RecastException refused = assertThrows(RecastException.class,
                    () -> SecretSettingsSourceFactory.settings(SETTINGS_ARN, "{\"" + key + "\":\"s3cr3t-value\"}"));
            assertEquals(ErrorKind.BAD_REQUEST, refused.kind());
            assertTrue(refused.getMessage().contains(key) && !refused.getMessage().contains("s3cr3t-value"), refused.getMessage());
        }
        RecastException notJson = assertThrows(RecastException.class,
                () -> SecretSettingsSourceFactory.settings(SETTINGS_ARN, "s3cr3t-value"));
        assertTrue(!notJson.getMessage().contains("s3cr3t-value"), "the error never quotes the secret: " + notJson.getMessage());
        assertEquals(Map.of("recast.webhooks.github.secret", "x", "recast.webhooks.max-attempts", "5"),
                SecretSettingsSourceFactory.settings(SETTINGS_ARN, "{\"recast.webhooks.github.secret\":\"x\",\"recast.webhooks.max-attempts\":5}"));
    }
}
