package dev.recast.convert;

import dev.recast.model.Descriptor;
import dev.recast.model.Manifest;

import java.util.ArrayList;
import java.util.List;

/**
 * How large a referrer Recast copies: SBOMs, attestations and their configs are documents, not images. Whoever can
 * push to the source repository can list any manifest as an "SBOM" of an image; these limits keep such a manifest
 * from making a conversion copy gigabytes of blobs next to the production result.
 */
final class ReferrerBlobLimits {
    /** Largest blob of one referrer (its config or one layer). */
    static final long BLOB_BYTES = 64L << 20;
    /** Largest sum of one referrer's blobs. */
    static final long TOTAL_BYTES = 256L << 20;

    private ReferrerBlobLimits() {
    }

    /** Why {@code referrer} is too large to copy, or null when it is within the limits. */
    static String problem(Manifest referrer, ImageConverter.Limits limits) {
        List<Descriptor> blobs = new ArrayList<>();
        blobs.add(referrer.config());
        blobs.addAll(referrer.layers());
        if (referrer.layers().size() > limits.imageLayers()) {
            return "it has " + referrer.layers().size() + " blobs, over the limit of " + limits.imageLayers()
                    + " (recast.limits.image-layers)";
        }
        long total = 0;
        for (Descriptor blob : blobs) {
            if (blob.size() > BLOB_BYTES) {
                return "its blob " + blob.digest() + " is " + blob.size() + " bytes, over the limit of " + BLOB_BYTES
                        + " bytes for a referrer's blob";
            }
            total += blob.size();
        }
        if (total > TOTAL_BYTES) {
            return "its blobs are " + total + " bytes, over the limit of " + TOTAL_BYTES + " bytes for one referrer";
        }
        return null;
    }
}
