package dev.recast;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.recast.model.Content;
import dev.recast.model.ImageConfig;
import dev.recast.model.ImageManifest;
import dev.recast.model.MediaType;

import java.util.List;

/**
 * Fuzzes what Recast reads from registries and layouts, which is untrusted: manifests, indexes and configs. Anything
 * refused must be a {@link RecastException}. Plain runs replay {@code ImageJsonFuzzTestInputs/}; see .ci/run.
 */
class ImageJsonFuzzTest {
    private static final List<MediaType> SERVED_AS = List.of(MediaType.DOCKER_MANIFEST, MediaType.DOCKER_MANIFEST_LIST,
            MediaType.OCI_MANIFEST, MediaType.OCI_INDEX, MediaType.DOCKER_CONFIG, MediaType.OCI_CONFIG);

    @FuzzTest(maxDuration = "30s")
    void manifestsIndexesAndConfigs(FuzzedDataProvider data) {
        MediaType servedAs = data.pickValue(SERVED_AS);
        Content content = Content.of(servedAs, data.consumeRemainingAsBytes());
        try {
            ImageManifest manifest = ImageManifest.parse(content);
            if (!manifest.digest().equals(content.digest())) {
                throw new AssertionError("a parsed manifest must keep the bytes it was read from");
            }
        } catch (RecastException expected) {
            // refused with our typed error
        }
        try {
            ImageConfig.parse(content);
        } catch (RecastException expected) {
            // refused with our typed error
        }
    }
}
