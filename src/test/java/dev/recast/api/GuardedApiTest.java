package dev.recast.api;

import dev.recast.testing.HttpServerTest;
import dev.recast.testing.LabRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The API with a token and an allow-list: callers need the token; only listed registries are contacted. */
@QuarkusTest
@TestProfile(GuardedApiTest.Guarded.class)
@Tag("registry")
@Tag("quarkus")
class GuardedApiTest extends HttpServerTest {
    static final String TOKEN = "t0ken-for-tests";

    public static class Guarded implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("recast.api.token", TOKEN, "recast.registries.allowed", LabRegistry.plain().host(),
                    "recast.registries.writable", LabRegistry.plain().host() + "/guarded/**",
                    "recast.api.body-timeout", "2s");
        }
    }

    private final LabRegistry lab = LabRegistry.plain();

    @Override
    protected String token() {
        return TOKEN;
    }

    @Test
    void callsWithoutTheTokenAre401() {
        given().noFilters().contentType(ContentType.JSON).body(Map.of("source", lab.host() + "/fixtures/hello:v2s2", "dryRun", true))
                .post("/v1/conversions").then().statusCode(401).contentType(Problem.MEDIA_TYPE);
        given().header("Authorization", "Bearer wrong").queryParam("ref", lab.host() + "/fixtures/hello:v2s2")
                .get("/v1/images").then().statusCode(401);
        given().contentType(ContentType.JSON)
                .body(Map.of("source", lab.host() + "/fixtures/hello:v2s2", "target", lab.host() + "/guarded/hello:oci",
                        "dryRun", true))
                .post("/v1/conversions").then().statusCode(200);
        given().noFilters().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void writesOutsideTheWritableRepositoriesAre403BeforeAnythingMoves() {
        String stolen = "stolen-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType(ContentType.JSON)
                .body(Map.of("source", lab.host() + "/fixtures/hello:v2s2", "target", lab.host() + "/fixtures/hello:" + stolen))
                .post("/v1/conversions").then().statusCode(403).contentType(Problem.MEDIA_TYPE)
                .body("detail", containsString("recast.registries.writable"));
        given().contentType(ContentType.JSON).body(Map.of("target", lab.host() + "/fixtures/app:" + stolen,
                        "sources", List.of(lab.host() + "/fixtures/app:amd64")))
                .post("/v1/indexes").then().statusCode(403).contentType(Problem.MEDIA_TYPE);
        assertFalse(lab.tags("fixtures/hello").contains(stolen));
        assertFalse(lab.tags("fixtures/app").contains(stolen));
        String repository = "guarded/" + stolen;
        given().contentType(ContentType.JSON)
                .body(Map.of("source", lab.host() + "/fixtures/hello:v2s2", "target", lab.host() + "/" + repository + ":oci"))
                .post("/v1/conversions").then().statusCode(200).body("outcome", equalTo("CONVERTED"));
        assertEquals(List.of("oci"), lab.imageTags(repository));
    }

    @Test
    void metricsOpenApiAndSwaggerNeedTheToken() {
        for (String path : new String[]{"/q/metrics", "/q/openapi", "/q/swagger-ui/", "/q/swagger-ui/index.html"}) {
            given().noFilters().get(path).then().statusCode(401).contentType(Problem.MEDIA_TYPE);
        }
        given().get("/q/metrics").then().statusCode(200).body(containsString("recast_"));
        given().get("/q/openapi").then().statusCode(200).body(containsString("/v1/conversions"));
        given().noFilters().get("/q/health").then().statusCode(200);
        given().noFilters().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void aPathThroughTheWebhooksPrefixStillNeedsTheToken() {
        given().noFilters().urlEncodingEnabled(false).contentType(ContentType.JSON)
                .body(Map.of("source", lab.host() + "/fixtures/hello:v2s2", "dryRun", true))
                .post("/v1/webhooks/../conversions").then().statusCode(401);
    }

    @Test
    void malformedReferencesAre400() {
        for (String reference : new String[]{"UPPER/case:tag", "a/b:c:d", "", "host:notaport/x", "x@sha256:123", "a//b",
                "docker://", "x:", "@sha256:", "host:99999/x:y", "a/b@sha256:zz", "oci:", " ", "a\tb"}) {
            given().contentType(ContentType.JSON).body(Map.of("source", reference))
                    .post("/v1/conversions").then().statusCode(400).contentType(Problem.MEDIA_TYPE);
            given().queryParam("ref", reference).get("/v1/images").then().statusCode(400).contentType(Problem.MEDIA_TYPE);
        }
    }

    @Test
    void aTricklingRequestBodyIsCut() throws Exception {
        int port = io.restassured.RestAssured.port;
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/conversions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TOKEN
                    + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"so").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long start = System.nanoTime();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
            assertTrue(answer.contains("recast.api.body-timeout"), answer);
            assertTrue(seconds < 10, "cut after " + seconds + " s");
        }
    }

    @Test
    void metadataAddressesAndUnlistedRegistriesAreRefused() {
        given().contentType(ContentType.JSON)
                .body(Map.of("source", "http://169.254.169.254/latest/meta-data"))
                .post("/v1/conversions").then().statusCode(400).contentType(Problem.MEDIA_TYPE);
        given().contentType(ContentType.JSON)
                .body(Map.of("source", "169.254.169.254/latest/meta-data:x"))
                .post("/v1/conversions").then().statusCode(403).body("detail", containsString("allow-list"));
        given().contentType(ContentType.JSON)
                .body(Map.of("source", LabRegistry.second().host() + "/fixtures/hello:v2s2"))
                .post("/v1/conversions").then().statusCode(403).body("detail", containsString("allow-list"));
        given().contentType(ContentType.JSON)
                .body(Map.of("source", lab.host() + "/fixtures/hello:v2s2", "target", LabRegistry.second().host() + "/x/y:z"))
                .post("/v1/conversions").then().statusCode(403).body("detail", containsString(LabRegistry.second().host()));
        given().queryParam("ref", lab.host() + "/fixtures/hello:v2s2")
                .get("/v1/images").then().statusCode(200).body("ociZstd", equalTo(false));
    }
}
