package dev.recast.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recast.service.ConversionSlots;
import dev.recast.testing.HttpServerTest;
import dev.recast.testing.FleetImages;
import dev.recast.testing.LabRegistry;
import dev.recast.testing.RegistryImages;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code POST /v1/migrations} against the lab registry: a few small generated repositories migrated with NDJSON
 * progress (one line per image as it finishes), then again as one JSON report with nothing left to do.
 */
@QuarkusTest
@Tag("registry")
@Tag("quarkus")
class MigrationsApiTest extends HttpServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> FIXTURES = List.of("fixtures/hello:v2s2", "fixtures/empty-layer:v2s2");
    private final LabRegistry lab = LabRegistry.plain();
    private final FleetImages fleet = new FleetImages(lab);

    @Inject
    ConversionSlots slots;

    @Test
    void aFewRepositoriesAreMigratedWithProgressThenFoundDone() throws Exception {
        String prefix = "api-fleet-" + UUID.randomUUID().toString().substring(0, 6);
        List<String> repositories = List.of(prefix + "/a", prefix + "/b", prefix + "/c");
        for (String repository : repositories) {
            fleet.push(FIXTURES.get(0), repository, "v1");
            fleet.push(FIXTURES.get(1), repository, "v2");
        }
        Map<String, Object> body = Map.of("registry", "docker://" + lab.host(), "repositories", List.of(prefix + "/**"),
                "pageSize", 5, "concurrency", 3);

        String stream = given().contentType(ContentType.JSON).accept("application/x-ndjson").body(body)
                .when().post("/v1/migrations").then().statusCode(200).contentType("application/x-ndjson")
                .extract().asString();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : stream.strip().split("\n")) {
            lines.add(JSON.readTree(line));
        }
        assertEquals("started", lines.getFirst().path("event").asText(), stream);
        assertEquals(lab.host(), lines.getFirst().path("registry").asText());
        List<JsonNode> images = lines.subList(1, lines.size() - 1);
        assertEquals(6, images.size(), stream);
        for (JsonNode image : images) {
            assertEquals("image", image.path("event").asText(), image.toString());
            assertEquals("CONVERTED", image.path("result").path("status").asText(), image.toString());
        }
        JsonNode done = lines.getLast();
        assertEquals("done", done.path("event").asText(), stream);
        assertEquals(6, done.path("report").path("totals").path("converted").asInt(), done.toString());
        assertEquals(3, done.path("report").path("repositories").size(), done.toString());
        for (String repository : repositories) {
            assertEquals(List.of("v1", "v1-oci", "v2", "v2-oci"), lab.imageTags(repository));
            assertEquals("application/vnd.oci.image.manifest.v1+json",
                    RegistryImages.rawManifest(lab, repository + ":v1-oci").path("mediaType").asText());
        }

        // again, as one report: the registry says everything is done, and nothing is written
        given().contentType(ContentType.JSON).body(body).when().post("/v1/migrations").then().statusCode(200)
                .contentType(ContentType.JSON)
                .body("totals.images", equalTo(6))
                .body("totals.skipped", equalTo(6))
                .body("totals.converted", equalTo(0));
    }

    @Test
    void aMigrationTakesOneConversionSlotPerImageInFlight() throws Exception {
        String repository = "api-slots-" + UUID.randomUUID().toString().substring(0, 6) + "/a";
        fleet.push(FIXTURES.get(0), repository, "v1");
        Map<String, Object> body = Map.of("registry", lab.host(), "repositories", List.of(repository),
                "concurrency", 3, "dryRun", true);
        int limit = ConfigProvider.getConfig().getValue("recast.api.concurrency", Integer.class);
        // all but two slots busy: the migration converts two images at once, not three in one slot
        ConversionSlots.Claim busy = slots.acquireUpTo(limit - 2);
        try (ConversionSlots.Slot ignored = busy.slot()) {
            assertEquals(limit - 2, busy.count());
            String stream = given().contentType(ContentType.JSON).accept("application/x-ndjson").body(body)
                    .when().post("/v1/migrations").then().statusCode(200).extract().asString();
            JsonNode started = JSON.readTree(stream.strip().split("\n")[0]);
            assertEquals(2, started.path("concurrency").asInt(), stream);
        }
        assertEquals(0, slots.inUse(), "the migration gave its slots back");
        try (ConversionSlots.Slot ignored = slots.acquireUpTo(limit).slot()) {
            given().contentType(ContentType.JSON).body(body).when().post("/v1/migrations").then().statusCode(429);
        }
    }

    @Test
    void aMigrationNeedsTheTokenAndAnAllowedRegistry() {
        given().noFilters().contentType(ContentType.JSON).body(Map.of("registry", lab.host()))
                .when().post("/v1/migrations").then().statusCode(401);
        // a host the service may not contact, refused before anything is listed
        given().contentType(ContentType.JSON).body(Map.of("registry", "127.0.0.1:1"))
                .when().post("/v1/migrations").then().statusCode(403).contentType(Problem.MEDIA_TYPE);
        given().contentType(ContentType.JSON).body(Map.of("registry", lab.host(), "tag", "(unclosed"))
                .when().post("/v1/migrations").then().statusCode(400);
        given().contentType(ContentType.JSON).body(Map.of("registry", lab.host(), "colour", "blue"))
                .when().post("/v1/migrations").then().statusCode(400);
    }


    @AfterEach
    void closeFleet() {
        fleet.close();
    }
}
