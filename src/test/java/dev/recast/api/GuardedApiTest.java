package dev.recast.api;

import dev.recast.testing.HttpServerTest;
import dev.recast.testing.LabRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** The API with a token and an allow-list: callers need the token; only listed registries are contacted. */
@QuarkusTest
@TestProfile(GuardedApiTest.Guarded.class)
class GuardedApiTest extends HttpServerTest {
    static final String TOKEN = "t0ken-for-tests";

    public static class Guarded implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("recast.api.token", TOKEN, "recast.registries.allowed", LabRegistry.plain().host());
        }
    }

    private final LabRegistry lab = LabRegistry.plain();

    @Test
    void callsWithoutTheTokenAre401() {
        given().contentType(ContentType.JSON).body(Map.of("source", lab.host() + "/fixtures/hello:v2s2", "dryRun", true))
                .post("/v1/conversions").then().statusCode(401).contentType(Problem.MEDIA_TYPE);
        given().header("Authorization", "Bearer wrong").queryParam("ref", lab.host() + "/fixtures/hello:v2s2")
                .get("/v1/images").then().statusCode(401);
        given().header("Authorization", "Bearer " + TOKEN).contentType(ContentType.JSON)
                .body(Map.of("source", lab.host() + "/fixtures/hello:v2s2", "dryRun", true))
                .post("/v1/conversions").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void metadataAddressesAndUnlistedRegistriesAreRefused() {
        given().header("Authorization", "Bearer " + TOKEN).contentType(ContentType.JSON)
                .body(Map.of("source", "http://169.254.169.254/latest/meta-data"))
                .post("/v1/conversions").then().statusCode(400).contentType(Problem.MEDIA_TYPE);
        given().header("Authorization", "Bearer " + TOKEN).contentType(ContentType.JSON)
                .body(Map.of("source", "169.254.169.254/latest/meta-data:x"))
                .post("/v1/conversions").then().statusCode(400).body("detail", containsString("allow-list"));
        given().header("Authorization", "Bearer " + TOKEN).contentType(ContentType.JSON)
                .body(Map.of("source", LabRegistry.second().host() + "/fixtures/hello:v2s2"))
                .post("/v1/conversions").then().statusCode(400).body("detail", containsString("allow-list"));
        given().header("Authorization", "Bearer " + TOKEN).contentType(ContentType.JSON)
                .body(Map.of("source", lab.host() + "/fixtures/hello:v2s2", "target", LabRegistry.second().host() + "/x/y:z"))
                .post("/v1/conversions").then().statusCode(400).body("detail", containsString(LabRegistry.second().host()));
        given().header("Authorization", "Bearer " + TOKEN).queryParam("ref", lab.host() + "/fixtures/hello:v2s2")
                .get("/v1/images").then().statusCode(200).body("ociZstd", equalTo(false));
    }
}
