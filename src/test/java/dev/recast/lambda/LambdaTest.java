package dev.recast.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recast.testing.ExternalTools;
import dev.recast.testing.LabRegistry;
import dev.recast.webhook.WebhookSamples;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Lambda handler, invoked through Quarkus's mock Lambda event server, doing real work on the lab registry. */
@QuarkusTest
@TestProfile(LambdaTest.Profile.class)
@Tag("registry")
@Tag("quarkus")
class LambdaTest {
    static final int EVENTS = LabRegistry.freePort();
    static final String SECRET = "lambda-webhook-s3cret";
    static final String API_TOKEN = "lambda-api-t0ken";
    static final String ECR_HOST = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
    private static final ObjectMapper JSON = new ObjectMapper();

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return MockLambda.settings(EVENTS, Map.of("recast.webhooks.registry-aliases", ECR_HOST + "=" + LabRegistry.plain().host(),
                    "recast.webhooks.distribution.secret", SECRET,
                    "recast.api.token", API_TOKEN,
                    "recast.webhooks.synchronous", "true",
                    // the REST API on the function URL (off by default: LambdaSecretsTest)
                    "recast.lambda.expose-api", "true"));
        }
    }

    private final LabRegistry lab = LabRegistry.plain();

    private JsonNode invoke(JsonNode event) throws Exception {
        return MockLambda.invoke(EVENTS, event);
    }

    private String freshRepository() {
        String repo = "lambda/app-" + UUID.randomUUID().toString().substring(0, 8);
        LabRegistry.copy(lab.host() + "/fixtures/hello:v2s2", lab.host() + "/" + repo + ":1.4.2");
        return repo;
    }

    private String rawManifest(String ref) {
        return ExternalTools.check("skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + ref);
    }

    @Test
    void directInvocationConvertsAndAnswersTheReport() throws Exception {
        String target = lab.host() + "/lambda/direct:" + UUID.randomUUID().toString().substring(0, 8);
        JsonNode report = invoke(JSON.createObjectNode().put("source", lab.host() + "/fixtures/hello:v2s2").put("target", target));
        assertEquals("CONVERTED", report.path("outcome").asText(), report.toString());
        assertTrue(rawManifest(target).contains("application/vnd.oci.image.layer.v1.tar+zstd"));

        ObjectNode index = JSON.createObjectNode().put("target", lab.host() + "/lambda/index:" + UUID.randomUUID().toString().substring(0, 8));
        index.putArray("sources").add(lab.host() + "/fixtures/app:amd64").add(lab.host() + "/fixtures/app:arm64");
        JsonNode indexReport = invoke(index);
        assertEquals("linux/arm64/v8", indexReport.path("entries").get(1).path("platform").asText(), indexReport.toString());
    }

    @Test
    void ecrEventBridgePushRunsTheWebhookRules() throws Exception {
        String repo = freshRepository();
        ObjectNode event = WebhookSamples.sample("ecr-eventbridge-push.json");
        ((ObjectNode) event.get("detail")).put("repository-name", repo)
                .put("image-digest", "sha256:b039227e30ab044348bb059224a0887f1c7f1565877daf81d5627163495d146a");
        JsonNode receipt = invoke(event);
        assertTrue(receipt.path("jobs").get(0).asText().endsWith("converted"), receipt.toString());
        assertTrue(rawManifest(lab.host() + "/" + repo + ":1.4.2-oci").contains("application/vnd.oci.image.manifest.v1+json"));
    }

    @Test
    void functionUrlEventsReachTheRestApiAndWebhooks() throws Exception {
        String target = lab.host() + "/lambda/url:" + UUID.randomUUID().toString().substring(0, 8);
        String body = JSON.writeValueAsString(Map.of("source", lab.host() + "/fixtures/hello:v2s2", "target", target));
        JsonNode response = invoke(MockLambda.httpEvent("POST", "/v1/conversions", body, true,
                Map.of("Content-Type", "application/json", "Authorization", "Bearer " + API_TOKEN)));
        assertEquals(200, response.path("statusCode").asInt(), response.toString());
        assertEquals("CONVERTED", JSON.readTree(response.path("body").asText()).path("outcome").asText());

        for (String path : List.of("/v1/webhooks/../conversions", "/v1/webhooks/%2e%2e/conversions", "/v1//conversions")) {
            JsonNode refused = invoke(MockLambda.httpEvent("POST", path, body, false, Map.of("Content-Type", "application/json")));
            assertEquals(404, refused.path("statusCode").asInt(), path + ": a path that is not plain never reaches the service");
        }

        JsonNode missing = invoke(MockLambda.httpEvent("GET", "/v1/images", null, false, Map.of("Authorization", "Bearer " + API_TOKEN)));
        assertEquals(400, missing.path("statusCode").asInt());
        assertTrue(missing.path("headers").path("content-type").asText().startsWith("application/problem+json"), missing.toString());

        String repo = freshRepository();
        String payload = JSON.writeValueAsString(WebhookSamples.distributionPush(lab.host(), repo));
        JsonNode unsigned = invoke(MockLambda.httpEvent("POST", "/v1/webhooks/distribution", payload, false, Map.of("Content-Type", "application/json")));
        assertEquals(401, unsigned.path("statusCode").asInt());
        JsonNode signed = invoke(MockLambda.httpEvent("POST", "/v1/webhooks/distribution", payload, false,
                Map.of("Content-Type", "application/json", "Authorization", "Bearer " + SECRET)));
        assertEquals(200, signed.path("statusCode").asInt(), signed.toString());
        assertTrue(signed.path("body").asText().contains("converted"), signed.toString());
        assertEquals(List.of("1.4.2", "1.4.2-oci"), lab.imageTags(repo));
    }

    @Test
    void sqsBatchReportsOnlyTheFailedMessages() throws Exception {
        ObjectNode batch = JSON.createObjectNode();
        var records = batch.putArray("Records");
        String target = lab.host() + "/lambda/sqs:" + UUID.randomUUID().toString().substring(0, 8);
        records.addObject().put("messageId", "good").put("eventSource", "aws:sqs")
                .put("body", JSON.writeValueAsString(Map.of("source", lab.host() + "/fixtures/empty-layer:v2s2", "target", target)));
        records.addObject().put("messageId", "missing-image").put("eventSource", "aws:sqs")
                .put("body", JSON.writeValueAsString(Map.of("source", lab.host() + "/fixtures/none:x")));
        records.addObject().put("messageId", "not-json").put("eventSource", "aws:sqs").put("body", "{oops");
        JsonNode answer = invoke(batch);
        List<String> failed = new java.util.ArrayList<>();
        answer.path("batchItemFailures").forEach(f -> failed.add(f.path("itemIdentifier").asText()));
        assertEquals(List.of("missing-image", "not-json"), failed);
        assertTrue(rawManifest(target).contains("application/vnd.oci.image.manifest.v1+json"));
    }

    @Test
    void unknownEventsGetAClearProblemNotAStackTrace() throws Exception {
        JsonNode answer = invoke(JSON.createObjectNode().put("hello", "world"));
        assertEquals(400, answer.path("problem").path("status").asInt(), answer.toString());
        assertTrue(answer.path("problem").path("detail").asText().contains("unknown event"));
        assertFalse(answer.toString().contains("at dev.recast"), "no stack trace");
    }
}
