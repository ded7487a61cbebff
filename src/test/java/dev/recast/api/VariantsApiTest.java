package dev.recast.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recast.testing.CraftedImages;
import dev.recast.testing.FaultProxy;
import dev.recast.testing.HttpServerTest;
import dev.recast.testing.LabRegistry;
import dev.recast.testing.LabServiceConfig;
import dev.recast.webhook.WebhookSamples;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.recast.testing.RegistryImages.rawDigest;
import static dev.recast.testing.RegistryImages.rawManifest;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Variants and in-place conversions through POST /v1/conversions and a webhook rule. */
@QuarkusTest
@TestProfile(VariantsApiTest.Profile.class)
@Tag("registry")
@Tag("quarkus")
class VariantsApiTest extends HttpServerTest {
    private static final String SECRET = "variants-s3cret";
    private static final String OCI_INDEX = CraftedImages.OCI_INDEX;
    /** The lab registry behind a proxy that can hold a conversion's upload while the test pushes to the tag. */
    static final FaultProxy PROXY = new FaultProxy(LabRegistry.plain().host());

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return LabServiceConfig.with(Map.of("recast.webhooks.distribution.secret", SECRET,
                    "recast.registries.allowed", LabServiceConfig.allowedLabRegistries() + "," + PROXY.host(),
                    "recast.webhooks.retry-delay", "200ms",
                    "recast.webhooks.rules", """
                            [{"repository":"api-variants/hook-*","convert":{"target":"{repository}:{tag}","inPlace":true,
                              "variants":["gzip","zstd"]}}]"""));
        }
    }

    private final LabRegistry lab = LabRegistry.plain();

    @AfterAll
    static void closeProxy() {
        PROXY.close();
    }

    private static String unique(String prefix) {
        return "api-variants/" + prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private ValidatableResponse post(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).when().post("/v1/conversions").then();
    }

    @Test
    void variantsWriteAnIndexWhoseFirstEntryIsTheSourceAndARerunIsANoOp() {
        String target = lab.host() + "/" + unique("rest") + ":both";
        Map<String, Object> body = Map.of("source", lab.host() + "/fixtures/hello:v2s2", "target", target,
                "variants", List.of("gzip", "zstd"));

        post(body).statusCode(200).body("outcome", equalTo("CONVERTED")).body("targetMediaType", equalTo(OCI_INDEX));
        JsonNode index = rawManifest(lab, target.substring(lab.host().length() + 1));
        assertEquals(rawDigest(lab, "fixtures/hello:v2s2"), index.path("manifests").get(0).path("digest").asText());
        assertEquals("true", index.path("manifests").get(1).path("annotations")
                .path("io.github.containers.compression.zstd").asText());
        post(body).statusCode(200).body("outcome", equalTo("ALREADY_CONVERTED"));
        post(Map.of("source", lab.host() + "/fixtures/hello:v2s2", "variants", List.of("zstd")))
                .statusCode(400).contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void inPlaceNeedsVariantsOrForce() {
        String repo = unique("inplace");
        CraftedImages.Stored hello = CraftedImages.hello(lab, repo);
        String source = lab.host() + "/" + repo + ":hello";

        post(Map.of("source", source, "inPlace", true)).statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("detail", allOf(containsString("--variants gzip,zstd"), containsString("\"force\": true")));
        post(Map.of("source", source, "target", source)).statusCode(400).contentType(Problem.MEDIA_TYPE);
        post(Map.of("source", source, "target", lab.host() + "/" + repo + ":other", "inPlace", true))
                .statusCode(400).body("detail", containsString("'inPlace'"));
        assertEquals(hello.digest(), rawDigest(lab, repo + ":hello"));

        post(Map.of("source", source, "inPlace", true, "variants", List.of("gzip", "zstd"), "variantsFormat", "oci"))
                .statusCode(200).body("outcome", equalTo("CONVERTED"));
        JsonNode gzip = rawManifest(lab, repo + ":hello").path("manifests").get(0);
        assertEquals("application/vnd.oci.image.manifest.v1+json", gzip.path("mediaType").asText());

        String forced = unique("forced");
        CraftedImages.hello(lab, forced);
        Map<String, Object> force = new HashMap<>(Map.of("source", lab.host() + "/" + forced + ":hello", "force", true));
        force.put("target", force.get("source"));
        post(force).statusCode(200).body("targetMediaType", equalTo("application/vnd.oci.image.manifest.v1+json"));
    }

    @Test
    void aPushWhileConvertingInPlaceWinsAndTheAnswerIs409NamingBothDigests() throws Exception {
        String repo = unique("race");
        CraftedImages.Stored hello = CraftedImages.hello(lab, repo);
        String upload = "/v2/" + repo + "/blobs/uploads/";
        PROXY.once("POST", upload, new FaultProxy.Fault.Stall(3000));
        String source = PROXY.host() + "/" + repo + ":hello";

        CompletableFuture<ExtractableResponse<Response>> answer = CompletableFuture.supplyAsync(() -> given()
                .contentType(ContentType.JSON).body(Map.of("source", source, "inPlace", true,
                        "variants", List.of("gzip", "zstd"))).when().post("/v1/conversions").then().extract());
        for (int i = 0; i < 200 && PROXY.requests().stream().noneMatch(r -> r.startsWith("POST " + upload)); i++) {
            Thread.sleep(50);
        }
        // a real push to the tag, straight to the registry, while the conversion's first upload is held
        LabRegistry.copy(lab.host() + "/fixtures/app:amd64", lab.host() + "/" + repo + ":hello");
        ExtractableResponse<Response> response = answer.get(120, TimeUnit.SECONDS);

        String pushed = rawDigest(lab, "fixtures/app:amd64");
        assertEquals(409, response.statusCode(), response.asString());
        assertTrue(response.contentType().startsWith(Problem.MEDIA_TYPE), response.contentType());
        String detail = response.path("detail");
        assertTrue(detail.contains("tag hello") && detail.contains(hello.digest()) && detail.contains(pushed), detail);
        assertEquals(pushed, rawDigest(lab, repo + ":hello"));
    }

    @Test
    void aWebhookRuleConvertsThePushedTagInPlaceIntoVariants() throws Exception {
        String repo = "api-variants/hook-" + UUID.randomUUID().toString().substring(0, 8);
        CraftedImages.Stored hello = CraftedImages.hello(lab, repo);

        given().noFilters().contentType("application/json").header("Authorization", "Bearer " + SECRET)
                .body(WebhookSamples.distributionPush(lab.host(), repo, "hello", hello.digest()).toString())
                .post("/v1/webhooks/distribution").then().statusCode(202);

        JsonNode index = null;
        for (int i = 0; i < 150 && (index == null || !OCI_INDEX.equals(index.path("mediaType").asText())); i++) {
            Thread.sleep(200);
            index = rawManifest(lab, repo + ":hello");
        }
        assertEquals(OCI_INDEX, index.path("mediaType").asText(), index.toString());
        assertEquals(hello.digest(), index.path("manifests").get(0).path("digest").asText());
        assertEquals("true", index.path("manifests").get(1).path("annotations")
                .path("io.github.containers.compression.zstd").asText());
    }
}
