package dev.recast.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recast.testing.LabRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The migration worker (Terraform sets recast.lambda.migration-worker and gives it no API token) handles its queue's
 * image messages only: an HTTP request, a direct invocation or another kind of queued message converts nothing.
 */
@QuarkusTest
@TestProfile(LambdaMigrationWorkerTest.Profile.class)
@Tag("registry")
@Tag("quarkus")
class LambdaMigrationWorkerTest {
    static final int EVENTS = LabRegistry.freePort();
    private static final ObjectMapper JSON = new ObjectMapper();

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return MockLambda.settings(EVENTS, Map.of("recast.lambda.migration-worker", "true",
                    "recast.api.anonymous", "true", "recast.lambda.expose-api", "true"));
        }
    }

    private final LabRegistry lab = LabRegistry.plain();

    @Test
    void theWorkerRefusesEveryEventButItsQueuesImageMessages() throws Exception {
        String repository = "lambda/worker-" + UUID.randomUUID().toString().substring(0, 8);
        ObjectNode conversion = JSON.createObjectNode().put("source", lab.host() + "/fixtures/hello:v2s2")
                .put("target", lab.host() + "/" + repository + ":1.0");

        JsonNode direct = MockLambda.invoke(EVENTS, conversion);
        assertEquals("urn:recast:problem:bad-request", direct.path("problem").path("type").asText(), direct.toString());

        JsonNode http = MockLambda.invoke(EVENTS, MockLambda.httpEvent("POST", "/v1/conversions",
                JSON.writeValueAsString(conversion), false, Map.of("content-type", "application/json")));
        assertEquals("urn:recast:problem:bad-request", http.path("problem").path("type").asText(), http.toString());

        ObjectNode batch = JSON.createObjectNode();
        batch.putArray("Records").addObject().put("messageId", "m0").put("eventSource", "aws:sqs")
                .put("body", JSON.writeValueAsString(conversion));
        JsonNode answer = MockLambda.invoke(EVENTS, batch);
        assertEquals("m0", answer.path("batchItemFailures").path(0).path("itemIdentifier").asText(), answer.toString());

        assertEquals(List.of(), lab.tags(repository), "the worker converted nothing");
    }
}
