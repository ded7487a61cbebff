package dev.recast.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recast.testing.HttpServerTest;
import dev.recast.testing.LabRegistry;
import dev.recast.testing.LabServiceConfig;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The published OpenAPI document describes what the service really answers: real responses of every endpoint
 * (reports, NDJSON lines, inspections, the webhook receipt, problems) are validated against the schema the document
 * gives for that operation, status and media type, with every object schema closed (no undocumented fields).
 */
@QuarkusTest
@Tag("registry")
@Tag("quarkus")
@TestProfile(OpenApiConformanceTest.WithWebhookSecret.class)
class OpenApiConformanceTest extends HttpServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "conformance-s3cret";
    private static final String NDJSON = "application/x-ndjson";

    public static class WithWebhookSecret implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return LabServiceConfig.with(Map.of("recast.webhooks.distribution.secret", SECRET));
        }
    }

    private final LabRegistry lab = LabRegistry.plain();
    private PublishedSchemas schemas;

    @BeforeEach
    void readTheDocument() throws Exception {
        schemas = new PublishedSchemas(JSON.readTree(given().queryParam("format", "json").get("/q/openapi")
                .then().statusCode(200).extract().asString()));
    }

    private String ref(String repositoryAndTag) {
        return lab.host() + "/" + repositoryAndTag;
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The body of {@code response}, after checking it against the document's schema for this very answer. */
    private JsonNode documented(String method, String path, Response response) throws Exception {
        String mediaType = response.contentType().split(";")[0].trim();
        JsonNode schema = schemas.responseSchema(path, method, response.statusCode(), mediaType);
        assertNotNull(schema, "the document gives no " + mediaType + " schema for " + method + " " + path + " "
                + response.statusCode());
        JsonNode body = JSON.readTree(response.asString());
        assertEquals(List.of(), schemas.violations(schema, body), method + " " + path + " " + response.statusCode()
                + ": " + body);
        return body;
    }

    /** Each line of an NDJSON answer, checked against the document's schema for one line. */
    private List<JsonNode> documentedLines(Response response) throws Exception {
        assertEquals(200, response.statusCode(), response.asString());
        JsonNode schema = schemas.responseSchema("/v1/conversions", "post", 200, NDJSON);
        assertNotNull(schema, "the document gives no schema for the NDJSON stream");
        List<JsonNode> lines = new java.util.ArrayList<>();
        for (String line : response.asString().split("\n")) {
            JsonNode event = JSON.readTree(line);
            assertEquals(List.of(), schemas.violations(schema, event), line);
            lines.add(event);
        }
        return lines;
    }

    private Response postJson(String path, Object body) {
        return given().contentType(ContentType.JSON).body(body).post(path);
    }

    @Test
    void conversionsAnswerAsDocumented() throws Exception {
        JsonNode converted = documented("post", "/v1/conversions", postJson("/v1/conversions",
                Map.of("source", ref("fixtures/multi:latest"), "target", ref("fixtures/multi:" + unique("doc")))));
        assertEquals("CONVERTED", converted.path("outcome").asText());
        assertTrue(converted.path("images").size() > 1, converted.toString());
        JsonNode planned = documented("post", "/v1/conversions", postJson("/v1/conversions",
                Map.of("source", ref("fixtures/hello:v2s2"), "dryRun", true)));
        assertEquals("PLANNED", planned.path("outcome").asText());

        List<JsonNode> events = documentedLines(given().contentType(ContentType.JSON).accept(NDJSON)
                .body(Map.of("source", ref("fixtures/hello:v2s2"), "target", ref("fixtures/hello:" + unique("nd"))))
                .post("/v1/conversions"));
        assertEquals(List.of("started", "layer-started", "layer-finished", "done"), events.stream()
                .map(e -> e.path("event").asText()).distinct().sorted(java.util.Comparator.comparing(
                        List.of("started", "layer-started", "layer-finished", "done")::indexOf)).toList());
        List<JsonNode> failed = documentedLines(given().contentType(ContentType.JSON).accept(NDJSON)
                .body(Map.of("source", ref("fixtures/hello:missing"), "target", ref("fixtures/hello:x")))
                .post("/v1/conversions"));
        assertEquals("error", failed.getLast().path("event").asText());

        documented("post", "/v1/conversions", postJson("/v1/conversions", Map.of("source", ref("fixtures/hello:v2s2"),
                "dry_run", true)));
        documented("post", "/v1/conversions", postJson("/v1/conversions", Map.of("source", ref("fixtures/hello:nope"))));
        documented("post", "/v1/conversions", given().contentType(ContentType.TEXT).body("x").post("/v1/conversions"));
        documented("post", "/v1/conversions", given().noFilters().contentType(ContentType.JSON)
                .body(Map.of("source", ref("fixtures/hello:v2s2"))).post("/v1/conversions"));
        documented("post", "/v1/conversions", postJson("/v1/conversions", "{\"source\":\"" + "x".repeat(2 << 20) + "\"}"));
    }

    @Test
    void indexesAnswerAsDocumented() throws Exception {
        String target = ref("fixtures/app:" + unique("doc-index"));
        JsonNode report = documented("post", "/v1/indexes", postJson("/v1/indexes", Map.of("target", target,
                "sources", List.of(ref("fixtures/app:amd64"), ref("fixtures/app:arm64")), "convert", true)));
        assertEquals(2, report.path("entries").size());
        documented("post", "/v1/indexes", postJson("/v1/indexes", Map.of("target", target,
                "sources", List.of(ref("fixtures/app:amd64"), ref("fixtures/hello:v2s2")))));
        documented("post", "/v1/indexes", postJson("/v1/indexes", Map.of("target", target)));
    }

    @Test
    void imagesAnswerAsDocumented() throws Exception {
        JsonNode index = documented("get", "/v1/images", given().queryParam("ref", ref("fixtures/multi:latest"))
                .get("/v1/images"));
        assertEquals(2, index.path("platforms").size());
        JsonNode child = documented("get", "/v1/images", given().queryParam("ref", ref("fixtures/multi:latest"))
                .queryParam("platform", "linux/amd64").get("/v1/images"));
        assertEquals(1, child.path("platforms").size());
        documented("get", "/v1/images", given().queryParam("ref", ref("fixtures/hello:v2s2")).get("/v1/images"));
        documented("get", "/v1/images", given().queryParam("ref", ref("fixtures/multi:latest"))
                .queryParam("platform", "linux/s390x").get("/v1/images"));
        documented("get", "/v1/images", given().queryParam("ref", ref("fixtures/multi:latest"))
                .queryParam("platform", "linux").get("/v1/images"));
    }

    @Test
    void webhooksAnswerAsDocumentedAndAcceptTheProvidersOwnFields() throws Exception {
        String repository = unique("doc/hooked");
        String digest = postJson("/v1/conversions", Map.of("source", ref("fixtures/hello:v2s2"),
                "target", ref(repository + ":v1"), "compression", "gzip")).then().statusCode(200)
                .extract().path("targetDigest");
        ObjectNode delivery = JSON.createObjectNode();
        ObjectNode event = delivery.putArray("events").addObject().put("action", "push")
                .put("someFieldRecastDoesNotKnow", "kept by the provider");
        event.putObject("target").put("mediaType", "application/vnd.oci.image.manifest.v1+json").put("digest", digest)
                .put("repository", repository).put("tag", "v1");
        event.putObject("request").put("host", lab.host()).put("method", "PUT");
        String path = "/v1/webhooks/{provider}";
        Response delivered = given().noFilters().header("Authorization", "Bearer " + SECRET)
                .contentType(ContentType.JSON).body(delivery.toString()).post("/v1/webhooks/distribution");
        assertEquals(202, delivered.statusCode(), delivered.asString());
        JsonNode receipt = documented("post", path, delivered);
        assertFalse(receipt.path("jobs").isEmpty(), receipt.toString());

        documented("post", path, given().noFilters().contentType(ContentType.JSON).body(delivery.toString())
                .post("/v1/webhooks/distribution"));
        documented("post", path, given().noFilters().header("Authorization", "Bearer " + SECRET)
                .contentType(ContentType.JSON).body("{\"events\": [").post("/v1/webhooks/distribution"));
        documented("post", path, given().noFilters().contentType(ContentType.JSON).body("{}").post("/v1/webhooks/nope"));
    }

    @Test
    void answersOutsideAnyOperationAreProblemsAsDocumented() throws Exception {
        JsonNode problem = schemas.component("Problem");
        for (Response response : List.of(given().get("/v1/nothing"), given().get("/v1/conversions"),
                given().delete("/v1/images"))) {
            assertEquals(Problem.MEDIA_TYPE, response.contentType().split(";")[0]);
            assertEquals(List.of(), schemas.violations(problem, JSON.readTree(response.asString())), response.asString());
        }
    }

    @Test
    void theBearerSchemeGuardsApiOperationsButNotWebhooks() throws Exception {
        JsonNode document = JSON.readTree(given().queryParam("format", "json").get("/q/openapi").asString());
        JsonNode scheme = document.path("components").path("securitySchemes").path(ApiDocument.BEARER);
        assertEquals("http", scheme.path("type").asText());
        assertEquals("bearer", scheme.path("scheme").asText());
        document.path("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
            boolean guarded = operation.getValue().path("security").toString().contains(ApiDocument.BEARER);
            assertEquals(!path.getKey().startsWith("/v1/webhooks/"), guarded, operation.getKey() + " " + path.getKey());
            assertTrue(operation.getValue().path("responses").has("401"), operation.getKey() + " " + path.getKey());
        }));
        given().noFilters().get("/q/openapi").then().statusCode(401);
    }
}
