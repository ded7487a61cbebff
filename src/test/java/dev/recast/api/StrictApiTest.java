package dev.recast.api;

import dev.recast.testing.ExternalTools;
import dev.recast.testing.HttpServerTest;
import dev.recast.testing.LabRegistry;
import dev.recast.testing.LabServiceConfig;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The API refuses what it does not understand instead of guessing, and says so as a problem: unknown fields, wrong
 * JSON types, malformed JSON, unknown paths and methods, wrong media types and bodies over the limit.
 */
@QuarkusTest
@Tag("registry")
@Tag("quarkus")
class StrictApiTest extends HttpServerTest {
    private final LabRegistry lab = LabRegistry.plain();

    private String ref(String repositoryAndTag) {
        return lab.host() + "/" + repositoryAndTag;
    }

    /** A problem body with every member RFC 9457 asks for, of this type and status. */
    private static ValidatableResponse problem(ValidatableResponse response, int status, String type) {
        return response.statusCode(status).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("urn:recast:problem:" + type)).body("status", equalTo(status))
                .body("title", not(emptyOrNullString())).body("detail", not(emptyOrNullString()));
    }

    private ValidatableResponse post(String path, String json) {
        return given().contentType(ContentType.JSON).body(json).post(path).then();
    }

    @Test
    void aMisspelledDryRunIsRefusedNamingTheFieldAndWritesNothing() {
        String target = ref("fixtures/hello:" + "strict-" + UUID.randomUUID().toString().substring(0, 8));
        problem(post("/v1/conversions", "{\"source\":\"" + ref("fixtures/hello:v2s2") + "\",\"target\":\"" + target
                + "\",\"dry_run\":true}"), 400, "bad-request")
                .body("detail", containsString("'dry_run'")).body("detail", containsString("dryRun"));
        assertEquals(1, ExternalTools.run(List.of("skopeo", "inspect", "--raw", "--tls-verify=false",
                "docker://" + target)).exitCode(), "nothing was written");
        problem(post("/v1/indexes", "{\"target\":\"" + target + "\",\"sources\":[\"" + ref("fixtures/app:amd64")
                + "\"],\"convrt\":true}"), 400, "bad-request").body("detail", containsString("'convrt'"));
    }

    @Test
    void wrongJsonTypesAreRefusedNamingTheField() {
        String source = "\"source\":\"" + ref("fixtures/hello:v2s2") + "\"";
        Map<String, String> bodies = Map.of(
                "{\"source\":5}", "'source' must be a string",
                "{" + source + ",\"level\":\"3\"}", "'level' must be an integer",
                "{" + source + ",\"level\":3.5}", "'level' must be an integer",
                "{" + source + ",\"dryRun\":\"yes\"}", "'dryRun' must be true or false",
                "{" + source + ",\"dryRun\":1}", "'dryRun' must be true or false",
                "{" + source + ",\"platforms\":\"linux/amd64\"}", "'platforms' must be an array",
                "{" + source + ",\"platforms\":[1]}", "'platforms[0]' must be a string",
                "[\"" + ref("fixtures/hello:v2s2") + "\"]", "must be an object");
        bodies.forEach((body, detail) -> problem(post("/v1/conversions", body), 400, "bad-request")
                .body("detail", containsString(detail)));
        problem(post("/v1/indexes", "{\"target\":\"" + ref("fixtures/app:x") + "\",\"sources\":\"x\"}"), 400,
                "bad-request").body("detail", containsString("'sources' must be an array"));
    }

    @Test
    void malformedJsonIsAProblemSayingWhere() {
        problem(post("/v1/conversions", "{\"source\": "), 400, "bad-request")
                .body("detail", containsString("not valid JSON at line 1"));
        problem(post("/v1/conversions", "{\"source\":\"a/b:c\",\"dryRun\":true,\"dryRun\":false}"), 400, "bad-request")
                .body("detail", containsString("Duplicate field 'dryRun'"));
        problem(post("/v1/conversions", "{\"source\":\"a/b:c\"} trailing"), 400, "bad-request");
    }

    @Test
    void unknownPathsMethodsAndMediaTypesAreProblems() {
        problem(given().get("/v1/nothing").then(), 404, "not-found").body("detail", containsString("GET /v1/nothing"));
        problem(given().get("/elsewhere").then(), 404, "not-found");
        problem(given().get("/v1/conversions").then(), 405, "method-not-allowed")
                .body("detail", containsString("GET /v1/conversions"));
        problem(given().delete("/v1/images").then(), 405, "method-not-allowed");
        problem(given().contentType(ContentType.TEXT).body("source=x").post("/v1/conversions").then(), 415,
                "unsupported-media-type").body("detail", containsString("text/plain"));
        problem(given().contentType(ContentType.JSON).accept(ContentType.HTML).body("{}").post("/v1/conversions").then(),
                406, "not-acceptable");
    }

    @Test
    void aBodyOverTheLimitIsA413ProblemWithOrWithoutContentLength() throws Exception {
        String big = "{\"source\":\"" + "x".repeat(2 << 20) + "\"}";
        problem(post("/v1/conversions", big), 413, "too-large").body("detail", containsString("1048576"));
        problem(given().contentType(ContentType.JSON).body(big).post("/v1/webhooks/distribution").then(), 413, "too-large");

        // a chunked body declares no length: the limit applies while it is read
        HttpRequest chunked = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + io.restassured.RestAssured.port
                        + "/v1/conversions")).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + LabServiceConfig.TOKEN)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() ->
                        new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8)))).build();
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<String> response = client.send(chunked, HttpResponse.BodyHandlers.ofString());
            assertEquals(413, response.statusCode(), response.body());
            assertEquals(Problem.MEDIA_TYPE, response.headers().firstValue("Content-Type").orElse(""));
            assertTrue(response.body().contains("urn:recast:problem:too-large"), response.body());
        }
    }

    @Test
    void aBodyWithinTheLimitStillReachesTheApiWhenChunked() throws Exception {
        String body = "{\"source\":\"" + ref("fixtures/hello:v2s2") + "\",\"dryRun\":true}";
        HttpRequest chunked = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + io.restassured.RestAssured.port
                        + "/v1/conversions")).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + LabServiceConfig.TOKEN).expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() ->
                        new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)))).build();
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<String> response = client.send(chunked, HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            assertTrue(response.body().contains("\"outcome\":\"PLANNED\""), response.body());
        }
    }
}
