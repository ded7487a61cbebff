package dev.recast.api;

import dev.recast.RecastException;
import dev.recast.service.ConversionSlots;
import dev.recast.testing.CraftedImages;
import dev.recast.testing.HttpServerTest;
import dev.recast.testing.LabRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Requests that would make unbounded work, against the service with its default limits: a 2^40-path nested index
 * and a 20,000-entry index are refused at once with a problem naming the limit and the image, the service is healthy
 * and converts right after, and inspection takes a concurrency slot like every other endpoint.
 */
@QuarkusTest
@TestProfile(BoundedApiTest.Guarded.class)
@Tag("registry")
@Tag("quarkus")
class BoundedApiTest extends HttpServerTest {
    static final String TOKEN = "t0ken-for-bounded-tests";

    public static class Guarded implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("recast.api.token", TOKEN, "recast.registries.allowed", LabRegistry.plain().host());
        }
    }

    private final LabRegistry lab = LabRegistry.plain();

    @Inject
    ConversionSlots slots;

    private static RequestSpecification api() {
        return given().header("Authorization", "Bearer " + TOKEN);
    }

    private String ref(String repositoryAndTag) {
        return lab.host() + "/" + repositoryAndTag;
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static void assertRefused(RequestSpecification request, String method, String path, String limit,
                                      String image) {
        request.request(method, path).then().statusCode(413).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("urn:recast:problem:too-large"))
                .body("detail", containsString(limit))
                .body("image", equalTo(image));
    }

    @Test
    void hostileIndexesAreRefusedQuicklyAndTheServiceStaysHealthy() {
        String repository = unique("bounded-api/hostile");
        CraftedImages.nestedIndex(lab, repository, 40);
        CraftedImages.wideIndex(lab, repository, 20_000);
        String nested = ref(repository + ":top");
        String wide = ref(repository + ":wide");

        long started = System.nanoTime();
        assertRefused(api().contentType(ContentType.JSON).body(Map.of("source", nested)), "POST", "/v1/conversions",
                "recast.limits.index-depth", nested);
        assertRefused(api().contentType(ContentType.JSON).body(Map.of("source", wide)), "POST", "/v1/conversions",
                "recast.limits.index-entries", wide);
        assertRefused(api().queryParam("ref", wide), "GET", "/v1/images", "recast.limits.index-entries", wide);
        assertRefused(api().contentType(ContentType.JSON).body(Map.of("target", ref(repository + ":all"),
                "sources", List.of(wide), "convert", true)), "POST", "/v1/indexes", "recast.limits.index-entries", wide);
        String many = ref(repository + ":many");
        assertRefused(api().contentType(ContentType.JSON).body(Map.of("target", many,
                "sources", java.util.Collections.nCopies(1025, ref("fixtures/hello:v2s2")), "convert", true)), "POST",
                "/v1/indexes", "recast.limits.index-entries", many);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "refused at once, took " + took);

        given().get("/q/health/ready").then().statusCode(200);
        assertEquals(0, slots.inUse(), "every slot given back");
        api().contentType(ContentType.JSON).body(Map.of("source", ref("fixtures/hello:v2s2"),
                        "target", ref(repository + ":hello-oci")))
                .post("/v1/conversions").then().statusCode(200).body("outcome", equalTo("CONVERTED"));
        assertEquals(List.of("hello", "hello-oci", "top", "wide"), lab.imageTags(repository));
    }

    @Test
    void inspectionTakesASlotAndIsRefusedWhenAllAreBusy() {
        String hello = ref("fixtures/hello:v2s2");
        List<ConversionSlots.Slot> held = new ArrayList<>();
        try {
            while (held.size() < 64) {
                held.add(slots.acquire());
            }
        } catch (RecastException full) {
            // every slot is now held by this test
        }
        try {
            api().queryParam("ref", hello).get("/v1/images").then().statusCode(429).header("Retry-After", equalTo("5"))
                    .contentType(Problem.MEDIA_TYPE);
        } finally {
            held.forEach(ConversionSlots.Slot::close);
        }
        api().queryParam("ref", hello).get("/v1/images").then().statusCode(200).body("ociZstd", equalTo(false));
        assertEquals(0, slots.inUse());
    }
}
