package dev.recast.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recast.convert.RecastAnnotations;
import dev.recast.testing.ExternalTools;
import dev.recast.testing.LabRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** Reads, with skopeo, which image a lab registry's tag holds and which source a converted tag came from. */
final class ConvertedTags {
    private ConvertedTags() {
    }

    /** The manifest digest a tag names. */
    static String digest(LabRegistry registry, String repository, String tag) {
        return ExternalTools.check("skopeo", "inspect", "--tls-verify=false", "--format", "{{.Digest}}",
                registry.ref(repository + ":" + tag)).trim();
    }

    /** The {@code dev.recast.source.digest} annotation of a converted tag, or null when the tag or annotation is absent. */
    static String sourceDigest(LabRegistry registry, String repository, String tag) {
        ExternalTools.Result raw = ExternalTools.run(List.of("skopeo", "inspect", "--raw", "--tls-verify=false",
                registry.ref(repository + ":" + tag)));
        if (raw.exitCode() != 0) {
            return null;
        }
        try {
            JsonNode annotation = WebhookSamples.JSON.readTree(raw.stdout()).path("annotations").get(RecastAnnotations.SOURCE_DIGEST);
            return annotation == null ? null : annotation.asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits (up to a minute) until a converted tag says it came from this source digest. */
    static void awaitSource(LabRegistry registry, String repository, String tag, String digest) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            if (digest.equals(sourceDigest(registry, repository, tag))) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(registry.host() + "/" + repository + ":" + tag + " is not the conversion of " + digest
                + "; it says " + sourceDigest(registry, repository, tag));
    }
}
