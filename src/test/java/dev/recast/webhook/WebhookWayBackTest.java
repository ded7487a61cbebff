package dev.recast.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recast.convert.ConversionOptions;
import dev.recast.convert.ImageConverter;
import dev.recast.model.Digest;
import dev.recast.registry.ImageStores;
import dev.recast.registry.http.RegistrySettings;
import dev.recast.registry.reference.ImageReference;
import dev.recast.testing.HttpServerTest;
import dev.recast.testing.LabRegistry;
import dev.recast.testing.LabServiceConfig;
import dev.recast.testing.RegistryImages;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A webhook rule with {@code "format": "v2s2"}: a pushed OCI + zstd image (made by Recast outside the service), which an
 * OCI rule leaves alone, is turned back into Docker v2s2 with gzip layers.
 */
@QuarkusTest
@TestProfile(WebhookWayBackTest.Profile.class)
@Tag("registry")
@Tag("quarkus")
class WebhookWayBackTest extends HttpServerTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return LabServiceConfig.with(Map.of("quarkus.http.test-port", "0",
                    "recast.webhooks.distribution.secret", "way-back-s3cret",
                    "recast.webhooks.rules",
                    "[{\"convert\":{\"target\":\"{repository}:{tag}-docker\",\"format\":\"v2s2\"}}]"));
        }
    }

    @Inject
    WebhookProcessor processor;

    private final LabRegistry lab = LabRegistry.plain();

    private WebhookProcessor.Receipt push(String repository, String tag) {
        Digest digest = Digest.parse(RegistryImages.rawDigest(lab, repository + ":" + tag));
        return processor.runNow(Provider.DISTRIBUTION, List.of(new PushEvent(lab.host(), repository, tag, digest, null,
                null)));
    }

    @Test
    void aPushedZstdImageIsTurnedBackIntoDockerV2s2() {
        String repository = "wh-wayback/" + UUID.randomUUID().toString().substring(0, 8);
        try (ImageStores stores = new ImageStores(RegistrySettings.defaults());
             ImageConverter converter = new ImageConverter(stores, 2, ImageConverter.Limits.DEFAULT)) {
            converter.convert(ImageReference.parse(lab.host() + "/fixtures/hello:v2s2"),
                    ImageReference.parse(lab.host() + "/" + repository + ":v1"), ConversionOptions.DEFAULT);
        }
        assertEquals(RegistryImages.ZSTD, RegistryImages.rawManifest(lab, repository + ":v1").path("layers").get(0)
                .path("mediaType").asText());

        WebhookProcessor.Receipt back = push(repository, "v1");

        assertEquals(1, back.jobs().size(), back.toString());
        assertTrue(back.jobs().getFirst().endsWith(": converted"), back.toString());
        JsonNode raw = RegistryImages.rawManifest(lab, repository + ":v1-docker");
        assertEquals("application/vnd.docker.distribution.manifest.v2+json", raw.path("mediaType").asText());
        raw.path("layers").forEach(layer -> assertEquals("application/vnd.docker.image.rootfs.diff.tar.gzip",
                layer.path("mediaType").asText()));

        WebhookProcessor.Receipt again = push(repository, "v1-docker");
        assertEquals(List.of(), again.jobs(), "the rule's own output is not converted again: " + again);
    }
}
