package dev.recast.webhook;

import dev.recast.model.Digest;
import dev.recast.testing.CraftedImages;
import dev.recast.testing.FaultProxy;
import dev.recast.testing.HttpServerTest;
import dev.recast.testing.LabRegistry;
import dev.recast.testing.LabServiceConfig;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A webhook job reads the pushed manifest once: the re-read of the pushed tag that tells a newer push apart is what
 * the job inspects and converts. Counted on the wire, with the pushed registry reached through a proxy that logs
 * every request. Without rules, the job writes the default target tag (here with the suffix -zstd).
 */
@QuarkusTest
@TestProfile(WebhookReadsOnceTest.Profile.class)
@Tag("registry")
@Tag("quarkus")
class WebhookReadsOnceTest extends HttpServerTest {
    static final String SECRET = "reads-once-s3cret";
    static final FaultProxy PROXY = new FaultProxy(LabRegistry.plain().host());

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return LabServiceConfig.with(Map.of("quarkus.http.test-port", "0",
                    "recast.registries.allowed", LabServiceConfig.allowedLabRegistries() + "," + PROXY.host(),
                    "recast.conversion.target-suffix", "-zstd",
                    "recast.webhooks.distribution.secret", SECRET));
        }
    }

    @Inject
    WebhookProcessor processor;

    private final LabRegistry lab = LabRegistry.plain();

    private static String freshRepository(String fixture) {
        String repo = "once/" + UUID.randomUUID().toString().substring(0, 8);
        LabRegistry.copy(LabRegistry.plain().host() + "/" + fixture, LabRegistry.plain().host() + "/" + repo + ":v1");
        return repo;
    }

    /** The requests since {@code from} that read the pushed manifest: GETs of its tag or its digest. */
    private static List<String> pushedManifestReads(int from, String repo, String digest) {
        List<String> since = PROXY.requests().subList(from, PROXY.requests().size());
        return since.stream().filter(r -> r.equals("GET /v2/" + repo + "/manifests/v1")
                || r.equals("GET /v2/" + repo + "/manifests/" + digest)).toList();
    }

    @Test
    void aConversionJobReadsThePushedImageOnceAndWritesTheDefaultTarget() {
        String repo = freshRepository("fixtures/hello:v2s2");
        String digest = ConvertedTags.digest(lab, repo, "v1");
        int from = PROXY.requests().size();
        int answeredFrom = PROXY.answered().size();

        WebhookProcessor.Receipt receipt = processor.runNow(Provider.DISTRIBUTION,
                List.of(new PushEvent(PROXY.host(), repo, "v1", Digest.parse(digest), null, null)));

        assertEquals(1, receipt.jobs().size(), receipt.toString());
        assertTrue(receipt.jobs().getFirst().endsWith(": converted"), receipt.toString());
        assertEquals(List.of("GET /v2/" + repo + "/manifests/v1"), pushedManifestReads(from, repo, digest),
                "one read of the pushed manifest, the tag's: " + PROXY.requests());
        List<String> writes = PROXY.acceptedSince(answeredFrom, "PUT /v2/" + repo + "/manifests/");
        // the tag once; then the conversion's provenance: its artifact by digest, the fallback tag index naming it
        assertEquals("PUT /v2/" + repo + "/manifests/v1-zstd", writes.getFirst(), writes.toString());
        assertEquals(3, writes.size(), writes.toString());
        assertTrue(writes.getLast().startsWith("PUT /v2/" + repo + "/manifests/sha256-"), writes.toString());
        assertEquals(digest, ConvertedTags.sourceDigest(lab, repo, "v1-zstd"));
    }

    @Test
    void aDeliveredListIsReadOnceByItsJob() throws Exception {
        String repo = "once/" + UUID.randomUUID().toString().substring(0, 8);
        List<CraftedImages.Stored> images = List.of(CraftedImages.copied(lab, "fixtures/app:amd64", repo, "amd64"),
                CraftedImages.copied(lab, "fixtures/app:arm64", repo, "arm64"));
        String digest = CraftedImages.index(lab, repo, "v1", images, List.of("{\"architecture\":\"amd64\",\"os\":\"linux\"}",
                "{\"architecture\":\"arm64\",\"os\":\"linux\",\"variant\":\"v8\"}")).digest();
        int from = PROXY.requests().size();
        int answeredFrom = PROXY.answered().size();
        byte[] body = WebhookSamples.bytes(WebhookSamples.distributionPush(PROXY.host(), repo, "v1", digest));
        given().contentType("application/json").header("Authorization", "Bearer " + SECRET).body(body)
                .post("/v1/webhooks/distribution").then().statusCode(202);
        ConvertedTags.awaitSource(lab, repo, "v1-zstd", digest);
        for (int i = 0; i < 300 && processor.busy(); i++) {
            Thread.sleep(100);
        }
        assertEquals(List.of("GET /v2/" + repo + "/manifests/v1"), pushedManifestReads(from, repo, digest),
                "one read of the pushed list, the tag's: " + PROXY.requests());
        List<String> writes = PROXY.acceptedSince(answeredFrom, "PUT /v2/" + repo + "/manifests/");
        assertEquals(2, writes.indexOf("PUT /v2/" + repo + "/manifests/v1-zstd"),
                "two images by digest, then the index by its tag: " + writes);
        assertEquals(6, writes.size() - 3, "then a provenance for each image and the index (its artifact, its "
                + "fallback tag index): " + writes);
    }
}
