package dev.recast.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recast.service.ConversionSlots;
import dev.recast.testing.ExternalTools;
import dev.recast.testing.HttpServerTest;
import dev.recast.testing.LabRegistry;
import dev.recast.testing.LayerTar;
import dev.recast.testing.TestLayout;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The REST API against the lab registry: every endpoint and every error status with a real cause. */
@QuarkusTest
@Tag("registry")
@Tag("quarkus")
class ApiTest extends HttpServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final LabRegistry lab = LabRegistry.plain();

    @Inject
    ConversionSlots slots;

    @TempDir
    Path tmp;

    private String ref(String repositoryAndTag) {
        return lab.host() + "/" + repositoryAndTag;
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static JsonNode skopeoRaw(String ref) throws Exception {
        return JSON.readTree(ExternalTools.check("skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + ref));
    }

    @Test
    void conversionAnswersTheReportAndWritesTheImage() throws Exception {
        String target = ref("fixtures/hello:" + unique("api"));
        String digest = given().contentType(ContentType.JSON)
                .body(Map.of("source", ref("fixtures/hello:v2s2"), "target", target, "compression", "zstd", "level", 3))
                .when().post("/v1/conversions")
                .then().statusCode(200).contentType(ContentType.JSON)
                .body("outcome", equalTo("CONVERTED"))
                .body("targetMediaType", equalTo("application/vnd.oci.image.manifest.v1+json"))
                .body("images[0].layers", hasSize(3))
                .body("images[0].layers[0].action", equalTo("RECOMPRESSED"))
                .body("totals.bytesWritten", not(equalTo(0)))
                .extract().path("targetDigest");
        JsonNode raw = skopeoRaw(target);
        assertEquals("application/vnd.oci.image.layer.v1.tar+zstd", raw.path("layers").get(0).path("mediaType").asText());
        assertEquals(digest, JSON.readTree(ExternalTools.check("skopeo", "inspect", "--tls-verify=false", "docker://" + target))
                .path("Digest").asText());
    }

    @Test
    void withoutTargetTheResultGoesToTheSourceTagPlusSuffix() throws Exception {
        String repo = unique("api/default");
        given().contentType(ContentType.JSON).body(Map.of("source", ref("fixtures/hello:v2s2"), "target", ref(repo + ":v1"),
                "compression", "gzip")).post("/v1/conversions").then().statusCode(200);
        given().contentType(ContentType.JSON).body(Map.of("source", ref(repo + ":v1")))
                .post("/v1/conversions").then().statusCode(200).body("target", equalTo(ref(repo + ":v1-oci")));
        assertEquals("application/vnd.oci.image.manifest.v1+json", skopeoRaw(ref(repo + ":v1-oci")).path("mediaType").asText());
    }

    @Test
    void dryRunReportsButWritesNothing() {
        String target = ref("fixtures/hello:" + unique("dry"));
        given().contentType(ContentType.JSON).body(Map.of("source", ref("fixtures/hello:v2s2"), "target", target, "dryRun", true))
                .post("/v1/conversions").then().statusCode(200).body("dryRun", equalTo(true))
                .body("outcome", equalTo("PLANNED"))
                .body("targetDigest", startsWith("sha256:")).body("totals.bytesWritten", equalTo(0));
        assertEquals(1, ExternalTools.run(List.of("skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + target)).exitCode());
    }

    @Test
    void ndjsonStreamsProgressEvents() throws Exception {
        String body = given().contentType(ContentType.JSON).accept("application/x-ndjson")
                .body(Map.of("source", ref("fixtures/hello:v2s2"), "target", ref("fixtures/hello:" + unique("nd"))))
                .post("/v1/conversions").then().statusCode(200).contentType(startsWith("application/x-ndjson"))
                .extract().asString();
        List<JsonNode> events = new ArrayList<>();
        for (String line : body.split("\n")) {
            events.add(JSON.readTree(line));
        }
        assertEquals("started", events.getFirst().path("event").asText());
        assertEquals("done", events.getLast().path("event").asText());
        assertEquals("CONVERTED", events.getLast().path("report").path("outcome").asText());
        assertEquals(3, events.stream().filter(e -> e.path("event").asText().equals("layer-started")).count());
        List<JsonNode> finished = events.stream().filter(e -> e.path("event").asText().equals("layer-finished")).toList();
        assertEquals(3, finished.size());
        finished.forEach(e -> assertTrue(e.path("targetSize").asLong() > 0, e.toString()));
    }

    @Test
    void ndjsonReportsAFailureAsAnErrorEvent() throws Exception {
        String body = given().contentType(ContentType.JSON).accept("application/x-ndjson")
                .body(Map.of("source", ref("fixtures/hello:missing"), "target", ref("fixtures/hello:x")))
                .post("/v1/conversions").then().statusCode(200).extract().asString();
        String[] lines = body.split("\n");
        JsonNode last = JSON.readTree(lines[lines.length - 1]);
        assertEquals("error", last.path("event").asText());
        assertEquals(404, last.path("problem").path("status").asInt());
    }

    @Test
    void badRequestsAre400Problems() {
        given().contentType(ContentType.JSON).body(Map.of("source", "Not A Reference!!")).post("/v1/conversions")
                .then().statusCode(400).contentType(Problem.MEDIA_TYPE).body("type", equalTo("urn:recast:problem:bad-request"))
                .body("detail", containsString("invalid"));
        given().contentType(ContentType.JSON).body(Map.of("target", ref("a/b:c"))).post("/v1/conversions")
                .then().statusCode(400).body("detail", containsString("'source' is required"));
        given().contentType(ContentType.JSON).body(Map.of("source", ref("fixtures/hello:v2s2"), "level", 99))
                .post("/v1/conversions").then().statusCode(400).body("detail", containsString("out of range"));
        given().contentType(ContentType.JSON).body(Map.of("source", ref("fixtures/hello:v2s2"), "compression", "brotli"))
                .post("/v1/conversions").then().statusCode(400).body("detail", containsString("unknown compression"));
        given().contentType(ContentType.JSON).body("{\"source\": ").post("/v1/conversions")
                .then().statusCode(400).contentType(Problem.MEDIA_TYPE);
        given().contentType(ContentType.JSON).body(Map.of("source", "oci:/etc:passwd")).post("/v1/conversions")
                .then().statusCode(400).body("detail", containsString("layout"));
        given().contentType(ContentType.JSON).body(Map.of("source", ref("fixtures/hello:v2s2"), "platforms", List.of("linux")))
                .post("/v1/conversions").then().statusCode(400).body("detail", containsString("platform"));
    }

    @Test
    void unknownImageIs404NamingIt() {
        given().contentType(ContentType.JSON).body(Map.of("source", ref("fixtures/hello:nope"))).post("/v1/conversions")
                .then().statusCode(404).contentType(Problem.MEDIA_TYPE).body("image", equalTo(ref("fixtures/hello:nope")));
        given().queryParam("ref", ref("nothing/here:x")).get("/v1/images").then().statusCode(404);
    }

    @Test
    void corruptedBlobIs422NamingTheLayer() throws Exception {
        TestLayout layout = new TestLayout(tmp.resolve("src"));
        byte[] unique = UUID.randomUUID().toString().getBytes();
        layout.tag("v1", layout.image().layer(new LayerTar().file("id", unique, 0644).build()).write());
        String repo = unique("api/corrupt");
        try (var stores = new dev.recast.registry.ImageStores(dev.recast.registry.http.RegistrySettings.defaults());
             var converter = new dev.recast.convert.ImageConverter(stores, 1, dev.recast.convert.ImageConverter.Limits.DEFAULT)) {
            converter.convert(dev.recast.registry.reference.ImageReference.parse(layout.ref("v1")),
                    dev.recast.registry.reference.ImageReference.parse(ref(repo + ":gz")),
                    new dev.recast.convert.ConversionOptions(dev.recast.model.Compression.GZIP, null, List.of(), false));
        }
        String layer = skopeoRaw(ref(repo + ":gz")).path("layers").get(0).path("digest").asText();
        Path data = lab.blobData(layer);
        byte[] bytes = Files.readAllBytes(data);
        bytes[bytes.length / 2] ^= 0x20;
        Files.write(data, bytes);

        given().contentType(ContentType.JSON).body(Map.of("source", ref(repo + ":gz"), "target", ref(repo + ":zstd")))
                .post("/v1/conversions").then().statusCode(422).contentType(Problem.MEDIA_TYPE)
                .body("layer", equalTo(layer)).body("image", equalTo(ref(repo + ":gz")));
        assertEquals(1, ExternalTools.run(List.of("skopeo", "inspect", "--raw", "--tls-verify=false",
                "docker://" + ref(repo + ":zstd"))).exitCode(), "no tag written");
    }

    @Test
    void registryRefusingUsIs502NamingTheRegistry() {
        LabRegistry secured = LabRegistry.htpasswd();
        given().contentType(ContentType.JSON).body(Map.of("source", secured.host() + "/fixtures/hello:v2s2"))
                .post("/v1/conversions").then().statusCode(502).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("urn:recast:problem:upstream-auth"))
                .body("detail", containsString(secured.host()));
    }

    @Test
    void fullConcurrencyLimitIs429WithRetryAfter() {
        List<ConversionSlots.Slot> held = new ArrayList<>();
        try {
            while (held.size() < 64) {
                held.add(slots.acquire());
            }
        } catch (dev.recast.RecastException full) {
            // every slot is now held by this test
        }
        try {
            given().contentType(ContentType.JSON).body(Map.of("source", ref("fixtures/hello:v2s2")))
                    .post("/v1/conversions").then().statusCode(429).header("Retry-After", equalTo("5"))
                    .contentType(Problem.MEDIA_TYPE);
        } finally {
            held.forEach(ConversionSlots.Slot::close);
        }
        given().contentType(ContentType.JSON).body(Map.of("source", ref("fixtures/hello:v2s2"), "dryRun", true))
                .post("/v1/conversions").then().statusCode(200);
    }

    @Test
    void oversizedBodyIs413() {
        given().contentType(ContentType.JSON).body("{\"source\":\"" + "x".repeat(2 << 20) + "\"}").post("/v1/conversions")
                .then().statusCode(413);
    }

    @Test
    void indexEndpointBuildsAnIndexAndRefusesDuplicatePlatforms() throws Exception {
        String target = ref("fixtures/app:" + unique("api-index"));
        given().contentType(ContentType.JSON).body(Map.of("target", target,
                        "sources", List.of(ref("fixtures/app:amd64"), ref("fixtures/app:arm64"), ref("fixtures/hello:v2s2")),
                        "platforms", Map.of(ref("fixtures/hello:v2s2"), "linux/riscv64"),
                        "convert", true, "annotations", Map.of("org.opencontainers.image.revision", "abc123")))
                .post("/v1/indexes").then().statusCode(200)
                .body("entries", hasSize(3)).body("entries[1].platform", equalTo("linux/arm64/v8"))
                .body("entries[2].platform", equalTo("linux/riscv64"));
        JsonNode index = skopeoRaw(target);
        assertEquals("application/vnd.oci.image.index.v1+json", index.path("mediaType").asText());
        assertEquals("abc123", index.path("annotations").path("org.opencontainers.image.revision").asText());

        given().contentType(ContentType.JSON).body(Map.of("target", ref("fixtures/app:" + unique("dup")),
                        "sources", List.of(ref("fixtures/app:amd64"), ref("fixtures/hello:v2s2"))))
                .post("/v1/indexes").then().statusCode(409).contentType(Problem.MEDIA_TYPE)
                .body("detail", containsString("fixtures/hello:v2s2"));
        given().contentType(ContentType.JSON).body(Map.of("target", target)).post("/v1/indexes").then().statusCode(400);
    }

    @Test
    void imagesEndpointSaysWhatAnImageIsMadeOf() {
        given().queryParam("ref", ref("fixtures/hello:v2s2")).get("/v1/images").then().statusCode(200)
                .body("mediaType", equalTo("application/vnd.docker.distribution.manifest.v2+json"))
                .body("ociZstd", equalTo(false)).body("platforms[0].platform", equalTo("linux/amd64"))
                .body("platforms[0].layers[0].compression", equalTo("gzip"));
        String target = ref("fixtures/multi:" + unique("api-oci"));
        String sourceDigest = given().contentType(ContentType.JSON).body(Map.of("source", ref("fixtures/multi:latest"), "target", target))
                .post("/v1/conversions").then().statusCode(200).extract().path("sourceDigest");
        given().queryParam("ref", target).get("/v1/images").then().statusCode(200)
                .body("mediaType", equalTo("application/vnd.oci.image.index.v1+json"))
                .body("ociZstd", equalTo(true)).body("sourceDigest", equalTo(sourceDigest))
                .body("platforms", hasSize(2)).body("platforms[1].platform", equalTo("linux/arm64/v8"))
                .body("platforms[1].layers[0].compression", equalTo("zstd"));
        given().get("/v1/images").then().statusCode(400);
    }

    @Test
    void referrersAreListedByKindCarriedOnRequestAndOnlyReportedWhenAsked() {
        String repo = unique("api/signed");
        LabRegistry.copy(ref("fixtures/hello:v2s2"), ref(repo + ":v1"));
        String sbom;
        try (var stores = new dev.recast.registry.ImageStores(dev.recast.registry.http.RegistrySettings.defaults())) {
            var store = stores.open(dev.recast.registry.reference.RegistryReference.parse(ref(repo + ":v1")));
            var image = store.requireManifest("v1").descriptor();
            var artifact = dev.recast.testing.ReferrerFixtures.sbom(image, repo);
            new dev.recast.registry.referrers.ReferrerAttacher().attach(store, artifact);
            sbom = artifact.manifest().digest().toString();
            dev.recast.testing.ReferrerFixtures.cosignSignature(store, image);
        }
        given().queryParam("ref", ref(repo + ":v1")).get("/v1/images").then().statusCode(200)
                .body("referrers.SBOM[0].digest", equalTo(sbom))
                .body("referrers.SBOM[0].foundIn", equalTo("FALLBACK_TAG"))
                .body("referrers.SIGNATURE[0].foundIn", equalTo("COSIGN_TAG"));

        given().contentType(ContentType.JSON).body(Map.of("source", ref(repo + ":v1"), "target", ref(repo + ":listed"),
                        "referrers", "report"))
                .post("/v1/conversions").then().statusCode(200)
                .body("referrers.action", equalTo(List.of("REPORTED", "REPORTED")));
        given().contentType(ContentType.JSON).body(Map.of("source", ref(repo + ":v1"), "target", ref(repo + ":v1-oci")))
                .post("/v1/conversions").then().statusCode(200)
                .body("referrers.find { it.kind == 'SBOM' }.action", equalTo("COPIED"))
                .body("referrers.find { it.kind == 'SIGNATURE' }.note", containsString("converted image unsigned"));
        given().queryParam("ref", ref(repo + ":v1-oci")).get("/v1/images").then().statusCode(200)
                .body("referrers.SBOM", hasSize(1)).body("referrers.SIGNATURE", equalTo(null));
        given().contentType(ContentType.JSON).body(Map.of("source", ref(repo + ":v1"), "referrers", "all"))
                .post("/v1/conversions").then().statusCode(400).body("detail", containsString("copy, report or skip"));
    }

    @Test
    void imagesEndpointInspectsOnePlatformOfAnIndex() {
        String index = ref("fixtures/multi:latest");
        String whole = given().queryParam("ref", index).get("/v1/images").then().statusCode(200).extract().asString();
        io.restassured.path.json.JsonPath all = io.restassured.path.json.JsonPath.from(whole);
        String arm = all.getString("platforms[1].digest");
        assertTrue(all.getString("platforms[1].platform").startsWith("linux/arm64"), whole);
        given().queryParam("ref", index).queryParam("platform", "linux/arm64").get("/v1/images").then().statusCode(200)
                .body("digest", equalTo(arm)).body("reference", equalTo(lab.host() + "/fixtures/multi@" + arm))
                .body("platforms", hasSize(1)).body("platforms[0].platform", equalTo(all.getString("platforms[1].platform")))
                .body("platforms[0].layers", hasSize(all.getList("platforms[1].layers").size()));
        given().queryParam("ref", index).queryParam("platform", "linux/s390x").get("/v1/images").then().statusCode(404)
                .contentType(Problem.MEDIA_TYPE).body("detail", containsString("linux/s390x"))
                .body("detail", containsString("linux/amd64"));
        given().queryParam("ref", index).queryParam("platform", "linux").get("/v1/images").then().statusCode(400)
                .contentType(Problem.MEDIA_TYPE).body("detail", containsString("invalid platform"));

        // a single image is itself when its config's platform matches, else there is no such image
        String single = ref("fixtures/hello:v2s2");
        given().queryParam("ref", single).queryParam("platform", "linux/amd64").get("/v1/images").then().statusCode(200)
                .body("reference", equalTo(single)).body("platforms", hasSize(1))
                .body("platforms[0].platform", equalTo("linux/amd64"));
        given().queryParam("ref", single).queryParam("platform", "linux/arm64").get("/v1/images").then().statusCode(404)
                .contentType(Problem.MEDIA_TYPE).body("detail", containsString("linux/amd64"));
    }

    @Test
    void openApiHealthAndMetricsAreServed() {
        given().get("/q/openapi").then().statusCode(200).body(containsString("/v1/conversions"))
                .body(containsString("/v1/indexes")).body(containsString("/v1/images"));
        given().get("/q/swagger-ui/").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200);
        given().contentType(ContentType.JSON).body(Map.of("source", ref("fixtures/hello:v2s2"), "dryRun", true))
                .post("/v1/conversions").then().statusCode(200);
        given().contentType(ContentType.JSON).body(Map.of("target", ref("fixtures/app:" + unique("dry-index")),
                "sources", List.of(ref("fixtures/app:amd64")), "dryRun", true)).post("/v1/indexes").then().statusCode(200);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("recast_conversions_total{kind=\"image\",outcome=\"planned\"}"), "dry runs counted apart");
        assertTrue(metrics.contains("recast_conversions_total{kind=\"index\",outcome=\"planned\"}"), "index dry runs too");
        long buckets = metrics.lines().filter(l -> l.startsWith("recast_conversion_duration_seconds_bucket")).count();
        assertTrue(buckets > 3 && buckets <= 10, "a handful of duration buckets, not " + buckets);
        assertTrue(metrics.lines().filter(l -> l.startsWith("recast_layer_compression_ratio_bucket")).count() <= 10);
        given().get("/q/metrics").then().statusCode(200).body(containsString("recast_conversions_total"))
                .body(containsString("recast_conversion_duration_seconds")).body(containsString("recast_bytes_read_total"))
                .body(containsString("recast_conversions_in_flight")).body(containsString("recast_layer_compression_ratio"));
    }
    @Test
    void formatV2s2GoesBackToDockerV2s2AndRefusesZstd() throws Exception {
        String zstd = ref("fixtures/hello:" + unique("api-zstd"));
        given().contentType(ContentType.JSON).body(Map.of("source", ref("fixtures/hello:v2s2"), "target", zstd))
                .post("/v1/conversions").then().statusCode(200);
        String back = ref("fixtures/hello:" + unique("api-back"));
        given().contentType(ContentType.JSON).body(Map.of("source", zstd, "target", back, "format", "v2s2"))
                .post("/v1/conversions").then().statusCode(200)
                .body("targetMediaType", equalTo("application/vnd.docker.distribution.manifest.v2+json"))
                .body("images[0].layers[0].targetMediaType", equalTo("application/vnd.docker.image.rootfs.diff.tar.gzip"));
        assertEquals("application/vnd.docker.container.image.v1+json", skopeoRaw(back).path("config").path("mediaType").asText());
        given().contentType(ContentType.JSON).body(Map.of("source", zstd, "format", "v2s2", "compression", "zstd"))
                .post("/v1/conversions").then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("detail", containsString("gzip layers only"));
    }
}
