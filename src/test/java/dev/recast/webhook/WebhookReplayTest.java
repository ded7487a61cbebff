package dev.recast.webhook;

import dev.recast.testing.HttpServerTest;
import dev.recast.testing.LabRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A replayed delivery (here: an old one sent again after the dedupe window) must not move {@code {tag}-oci} back to
 * the image the tag held before: the job sees that the tag now names another digest and skips as superseded.
 */
@QuarkusTest
@TestProfile(WebhookReplayTest.Profile.class)
@Tag("registry")
@Tag("quarkus")
class WebhookReplayTest extends HttpServerTest {
    static final String SECRET = "replay-s3cret";
    static final String DEDUPE_WINDOW_MS = "500";

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.test-port", "0",
                    "recast.registries.allowed", LabRegistry.plain().host(),
                    "recast.webhooks.distribution.secret", SECRET,
                    "recast.webhooks.dedupe-window", DEDUPE_WINDOW_MS + "ms",
                    "recast.webhooks.retry-delay", "200ms");
        }
    }

    @Inject
    WebhookProcessor processor;

    private final LabRegistry lab = LabRegistry.plain();

    private void deliver(String repository, String tag, String digest) {
        byte[] body = WebhookSamples.bytes(WebhookSamples.distributionPush(lab.host(), repository, tag, digest));
        given().contentType("application/json").header("Authorization", "Bearer " + SECRET).body(body)
                .post("/v1/webhooks/distribution").then().statusCode(202);
    }

    private void awaitQuiet() throws InterruptedException {
        for (int i = 0; i < 300 && processor.busy(); i++) {
            Thread.sleep(100);
        }
    }

    @Test
    void aReplayedOlderDeliveryLeavesTheTagOnTheNewerImage() throws Exception {
        String repo = "team/x-" + UUID.randomUUID().toString().substring(0, 8);
        LabRegistry.copy(lab.host() + "/fixtures/hello:v2s2", lab.host() + "/" + repo + ":v1");
        String a = ConvertedTags.digest(lab, repo, "v1");
        deliver(repo, "v1", a);
        ConvertedTags.awaitSource(lab, repo, "v1-oci", a);
        awaitQuiet();

        LabRegistry.copy(lab.host() + "/fixtures/app:amd64", lab.host() + "/" + repo + ":v1");
        String b = ConvertedTags.digest(lab, repo, "v1");
        deliver(repo, "v1", b);
        ConvertedTags.awaitSource(lab, repo, "v1-oci", b);
        awaitQuiet();

        Thread.sleep(3 * Long.parseLong(DEDUPE_WINDOW_MS)); // past the window: the replay is not merely deduplicated
        double converted = processor.jobs(WebhookJob.Kind.CONVERT, "converted");
        double superseded = processor.jobs(WebhookJob.Kind.CONVERT, "superseded");
        deliver(repo, "v1", a);
        for (int i = 0; i < 100 && processor.jobs(WebhookJob.Kind.CONVERT, "superseded") == superseded; i++) {
            Thread.sleep(100);
        }
        awaitQuiet();
        assertEquals(1.0, processor.jobs(WebhookJob.Kind.CONVERT, "superseded") - superseded, "the replay is skipped");
        assertEquals(converted, processor.jobs(WebhookJob.Kind.CONVERT, "converted"), "nothing was converted again");
        assertEquals(b, ConvertedTags.sourceDigest(lab, repo, "v1-oci"), "v1-oci still holds the newer image");
    }
}
