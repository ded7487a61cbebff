package dev.recast;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.recast.model.Digest;
import dev.recast.model.Platform;
import dev.recast.registry.reference.ImageReference;

/**
 * Fuzzes the parsers of user-supplied names: image references, digests and platforms. Anything they refuse must be a
 * {@link RecastException}; any other throwable is a finding. In a plain test run only the inputs kept under
 * {@code src/test/resources/dev/recast/ReferenceFuzzTestInputs/} run; {@code JAZZER_FUZZ=1} fuzzes (see .ci/run).
 */
class ReferenceFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void referencesDigestsAndPlatforms(String text) {
        try {
            ImageReference reference = ImageReference.parse(text);
            // a parsed reference must print as something that parses to the same reference
            ImageReference again = ImageReference.parse(reference.toString());
            if (!again.equals(reference)) {
                throw new AssertionError(reference + " reparsed as " + again);
            }
        } catch (RecastException expected) {
            // refused with our typed error
        }
        try {
            Digest.parse(text);
        } catch (RecastException expected) {
            // refused with our typed error
        }
        try {
            Platform.parse(text);
        } catch (RecastException expected) {
            // refused with our typed error
        }
    }
}
