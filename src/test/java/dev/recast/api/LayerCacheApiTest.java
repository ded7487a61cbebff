package dev.recast.api;

import dev.recast.testing.HttpServerTest;
import dev.recast.testing.LabRegistry;
import dev.recast.testing.LabServiceConfig;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The layer cache through the REST API: REUSED in the report, a cache repository or none chosen per request. */
@QuarkusTest
@TestProfile(LayerCacheApiTest.Profile.class)
@Tag("registry")
@Tag("quarkus")
class LayerCacheApiTest extends HttpServerTest {
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return LabServiceConfig.with(Map.of("recast.cache.enabled", "true"));
        }
    }

    private final LabRegistry lab = LabRegistry.plain();

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private io.restassured.response.ValidatableResponse convert(String target, Map<String, Object> more) {
        Map<String, Object> body = new HashMap<>(Map.of("source", lab.host() + "/fixtures/hello:v2s2",
                "target", lab.host() + "/" + target));
        body.putAll(more);
        return given().contentType(ContentType.JSON).body(body).when().post("/v1/conversions").then().statusCode(200);
    }

    @Test
    void aLayerConvertedBeforeIsReportedReusedAndTheCacheIsChosenPerRequest() {
        String cache = unique("api-cache/entries");
        convert(unique("api-cache/a") + ":oci", Map.of("cacheRepository", cache))
                .body("images[0].layers.action", everyItem(equalTo("RECOMPRESSED")));
        assertEquals(3, lab.tags(cache).size(), lab.tags(cache).toString());

        convert(unique("api-cache/b") + ":oci", Map.of("cacheRepository", cache))
                .body("images[0].layers.action", equalTo(List.of("REUSED", "REUSED", "REUSED")))
                .body("totals.reused", equalTo(3))
                .body("totals.recompressed", equalTo(0));
        convert(unique("api-cache/c") + ":oci", Map.of("cacheRepository", cache, "cache", false))
                .body("images[0].layers.action", everyItem(equalTo("RECOMPRESSED")));
        // the service's own repository (recast.cache.repository) knows nothing of this test's entries
        convert(unique("api-cache/d") + ":oci", Map.of("level", 7))
                .body("images[0].layers.action", everyItem(equalTo("RECOMPRESSED")));
        assertEquals(3, lab.tags("recast-cache").stream().filter(t -> t.contains("-zstd-7-")).count());
        given().contentType(ContentType.JSON).body(Map.of("source", lab.host() + "/fixtures/hello:v2s2",
                        "cacheRepository", "Not A Repository")).when().post("/v1/conversions").then().statusCode(400);
    }
}
