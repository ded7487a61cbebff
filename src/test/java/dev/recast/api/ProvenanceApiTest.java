package dev.recast.api;

import dev.recast.testing.HttpServerTest;
import dev.recast.testing.LabRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Provenance through the REST API: attached by a conversion unless the request says not, shown by inspection. */
@QuarkusTest
@Tag("registry")
@Tag("quarkus")
class ProvenanceApiTest extends HttpServerTest {
    private final LabRegistry lab = LabRegistry.plain();

    private String target() {
        return lab.host() + "/provenance-api/" + UUID.randomUUID().toString().substring(0, 8) + ":oci";
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> convert(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).when().post("/v1/conversions")
                .then().statusCode(200).body("outcome", equalTo("CONVERTED")).extract().as(Map.class);
    }

    @Test
    void aConversionAttachesProvenanceThatInspectionShows() {
        String target = target();
        Map<String, Object> report = convert(Map.of("source", lab.host() + "/fixtures/hello:v2s2", "target", target));
        String digest = (String) report.get("targetDigest");
        String note = ((List<?>) report.get("notes")).stream().map(String::valueOf)
                .filter(n -> n.startsWith("provenance ")).findFirst().orElseThrow();
        assertTrue(note.endsWith(" attached to " + digest), note);
        String artifact = note.substring("provenance ".length(), note.indexOf(" attached"));

        given().queryParam("ref", target).when().get("/v1/images").then().statusCode(200)
                .body("digest", equalTo(digest))
                .body("provenance.artifact", equalTo(artifact))
                .body("provenance.subject", equalTo(digest))
                .body("provenance.source", equalTo(lab.host() + "/fixtures/hello:v2s2"))
                .body("provenance.sourceDigest", equalTo(report.get("sourceDigest")))
                .body("provenance.options", equalTo("zstd:3"))
                .body("provenance.recastVersion", not(nullValue()))
                .body("provenance.layers", equalTo(3));
    }

    @Test
    void provenanceFalseAttachesNone() {
        String target = target();
        Map<String, Object> report = convert(Map.of("source", lab.host() + "/fixtures/app:arm64", "target", target,
                "provenance", false, "level", 4));
        assertTrue(((List<?>) report.get("notes")).stream().noneMatch(n -> String.valueOf(n).contains("provenance")),
                report.toString());
        given().queryParam("ref", target).when().get("/v1/images").then().statusCode(200)
                .body("provenance", nullValue());
    }

    @Test
    void anIndexAndEachOfItsImagesHaveAProvenance() {
        String target = target();
        Map<String, Object> report = convert(Map.of("source", lab.host() + "/fixtures/multi:latest", "target", target,
                "level", 2));
        assertTrue(((List<?>) report.get("notes")).stream().filter(n -> String.valueOf(n).startsWith("provenance "))
                .count() == 3, report.toString());
        given().queryParam("ref", target).when().get("/v1/images").then().statusCode(200)
                .body("provenance.images", equalTo(2))
                .body("provenance.layers", equalTo(0));
        given().queryParam("ref", target).queryParam("platform", "linux/arm64").when().get("/v1/images").then()
                .statusCode(200).body("provenance.subject", startsWith("sha256:"))
                .body("provenance.layers", not(equalTo(0)));
        given().contentType(ContentType.JSON).body(Map.of("source", lab.host() + "/fixtures/hello:v2s2",
                "provenance", "maybe")).when().post("/v1/conversions").then().statusCode(400);
    }

    @Test
    void aVerificationReChecksTheImageAndAnImageWithoutProvenanceIsNotVerified() {
        String target = target();
        convert(Map.of("source", lab.host() + "/fixtures/hello:v2s2", "target", target, "level", 6));
        given().contentType(ContentType.JSON).body(Map.of("target", target)).when().post("/v1/verifications")
                .then().statusCode(200)
                .body("verified", equalTo(true))
                .body("checks.findAll { it.name.startsWith('layer ') }.status", equalTo(List.of("PASSED", "PASSED",
                        "PASSED")));

        String bare = target();
        convert(Map.of("source", lab.host() + "/fixtures/hello:v2s2", "target", bare, "level", 6, "provenance", false));
        given().contentType(ContentType.JSON).body(Map.of("target", bare)).when().post("/v1/verifications")
                .then().statusCode(200)
                .body("verified", equalTo(false))
                .body("checks[0].name", equalTo("provenance"))
                .body("checks[0].status", equalTo("FAILED"));
        given().contentType(ContentType.JSON).body(Map.of("target", lab.host() + "/provenance-api/none:missing"))
                .when().post("/v1/verifications").then().statusCode(404);
        given().contentType(ContentType.JSON).body(Map.of("image", bare)).when().post("/v1/verifications")
                .then().statusCode(400);
    }
}
