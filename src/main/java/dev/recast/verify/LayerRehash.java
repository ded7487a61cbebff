package dev.recast.verify;

import dev.recast.RecastException;
import dev.recast.convert.LayerRecompressor;
import dev.recast.model.Compression;
import dev.recast.model.Descriptor;
import dev.recast.model.Digest;
import dev.recast.registry.store.ImageStore;
import dev.recast.verify.VerificationReport.Check;

import java.io.IOException;
import java.io.InputStream;

/**
 * Re-checks one converted layer: reads its blob (digest and size checked as it streams), decompresses it with the
 * decoder its media type names, and compares the digest of the tar with the diff_id the provenance recorded and the
 * config lists. Nothing is buffered: the layer streams through once.
 */
final class LayerRehash {
    /** The hashing stage of each unpacking runs on a thread of its own (see LayerPipeline). */
    private static final java.util.concurrent.ThreadFactory STAGES = Thread.ofPlatform().name("recast-verify-", 1)
            .daemon().factory();

    private final LayerRecompressor unpacker;

    LayerRehash(long maxTarBytes, long maxRatio) {
        this.unpacker = new LayerRecompressor(maxTarBytes, maxRatio);
    }

    /**
     * @param recorded the diff_id the provenance recorded
     * @param listed   the diff_id the image's config lists for this layer
     */
    Check check(ImageStore store, String name, Descriptor layer, Digest recorded, Digest listed) {
        if (layer.mediaType().isForeignLayer()) {
            return Check.skipped(name, "a foreign layer: its blob lives elsewhere and is not fetched");
        }
        Compression compression = layer.mediaType().layerCompression();
        if (compression == null) {
            return Check.failed(name, "media type " + layer.mediaType() + " is not a layer type Recast can unpack");
        }
        Digest actual;
        try (InputStream blob = store.openBlob(layer)) {
            actual = unpacker.unpack(blob, compression, STAGES).diffId();
        } catch (RecastException e) {
            return Check.failed(name, "cannot be read back: " + e.getMessage());
        } catch (IOException e) {
            return Check.failed(name, "does not decompress as " + compression.name().toLowerCase(java.util.Locale.ROOT)
                    + ": " + e.getMessage());
        }
        if (!actual.equals(recorded)) {
            return Check.failed(name, "decompresses to " + actual + ", but the provenance records diff_id " + recorded);
        }
        if (!actual.equals(listed)) {
            return Check.failed(name, "decompresses to " + actual + ", but the config lists diff_id " + listed);
        }
        return Check.passed(name, "decompresses to diff_id " + actual);
    }
}
