package dev.recast.convert;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.model.Compression;
import dev.recast.model.Descriptor;
import dev.recast.model.Digest;
import dev.recast.model.MediaType;
import dev.recast.registry.store.BlobWriter;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * Converts one layer: skipped when there is nothing to move, copied when it already has the wanted compression (as its
 * first bytes show: a media type may lie, and the written type always matches the written bytes),
 * else reused from the layer cache when it was converted earlier, else recompressed in one streaming pass whose tar
 * must hash to the config's diff_id (and then remembered in the cache). Called from layer workers.
 */
final class LayerConverter {
    private static final int ATTEMPTS = 2;

    private final ConversionRun run;
    private final BlobCopier blobs;
    private final ConversionListener listener;
    private final LayerRecompressor recompressor;
    private final CachedLayers cached;

    LayerConverter(ConversionRun run, BlobCopier blobs, ConversionListener listener, CachedLayers cached) {
        this.run = run;
        this.blobs = blobs;
        this.listener = listener;
        this.cached = cached;
        this.recompressor = new LayerRecompressor(run.limits().layerBytes(), run.limits().expansionRatio());
    }

    LayerOutcome convert(Descriptor layer, Digest diffId) {
        long started = System.nanoTime();
        listener.layerStarted(run.imageName(), layer);
        try {
            LayerOutcome outcome = convertRetrying(layer, diffId).withMillis((System.nanoTime() - started) / 1_000_000);
            listener.layerFinished(run.imageName(), layer, outcome.action(),
                    outcome.applyTo(layer), outcome.millis());
            return outcome;
        } catch (RecastException e) {
            throw e.in(run.imageName(), layer.digest().toString());
        } catch (IOException | UncheckedIOException e) {
            throw new RecastException(BlobCopier.kindOf(e), "layer failed: " + e.getMessage(), run.imageName(),
                    layer.digest().toString(), e);
        }
    }

    /**
     * A transfer can break in ways no single request retry mends (an upload session the registry can no longer
     * resume once an answer was lost): then the whole layer is done once more, from a fresh read of the source.
     */
    private LayerOutcome convertRetrying(Descriptor layer, Digest diffId) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return convertOnce(layer, diffId);
            } catch (RecastException e) {
                boolean transient_ = e.kind() == ErrorKind.UPSTREAM || e.kind() == ErrorKind.IO;
                if (!transient_ || attempt >= ATTEMPTS || run.cancellation().isCancelled()
                        || Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                run.report().note("layer " + layer.digest() + " was transferred again after: " + e.detail());
            }
        }
    }

    private LayerOutcome convertOnce(Descriptor layer, Digest diffId) throws IOException {
        MediaType type = layer.mediaType();
        ManifestFormat format = run.options().format();
        if (type.isForeignLayer()) {
            return new LayerOutcome(LayerAction.SKIPPED, format.foreignLayerType(type.layerCompression(),
                    run.imageName(), layer.digest().toString()), layer.digest(), layer.size(), 0,
                    "foreign layer: kept with its urls, never fetched");
        }
        Compression declared = type.layerCompression();
        if (declared == null) {
            boolean copied = blobs.copy(layer);
            return new LayerOutcome(copied ? LayerAction.COPIED : LayerAction.SKIPPED, type, layer.digest(),
                    layer.size(), 0, "not a filesystem layer (" + type + "): kept unchanged");
        }
        Compression wanted = run.options().compression();
        MediaType wantedType = format.layerType(wanted);
        // kept as it is only when its first bytes agree with its type; a lying one is converted below
        if (declared == wanted && blobs.isThereOrMounted(layer) && headOf(layer) == declared) {
            return new LayerOutcome(LayerAction.SKIPPED, wantedType, layer.digest(), layer.size(), 0,
                    "already " + wanted.label() + " and present in the target");
        }
        if (declared != wanted && usesCache()) {
            Optional<LayerOutcome> reused = cached.reuse(layer, diffId);
            if (reused.isPresent()) {
                LayerOutcome entry = reused.get();
                return new LayerOutcome(entry.action(), wantedType, entry.digest(), entry.size(), 0, entry.note());
            }
        }
        LayerProgress progress = new LayerProgress(listener, run.imageName(), layer);
        InputStream source = progress.reading(run.cancellation().guard(run.source().openBlob(layer)));
        try (BufferedInputStream blob = new BufferedInputStream(source, 1 << 16)) {
            Compression actual = LayerContent.peek(blob);
            if (actual == null) {
                throw LayerContent.unknown(layer, run.imageName());
            }
            String note = LayerContent.lie(declared, actual);
            if (actual == wanted) {
                run.target().putBlob(layer.withMediaType(wantedType), blob);
                run.report().read(layer.size());
                run.report().wrote(layer.size());
                return new LayerOutcome(LayerAction.COPIED, wantedType, layer.digest(), layer.size(), 0, note);
            }
            return recompress(layer, diffId, blob, actual, wantedType, note, progress);
        }
    }

    /** What a layer's first bytes say it is (one short read of the source); null: neither gzip, zstd nor tar. */
    private Compression headOf(Descriptor layer) throws IOException {
        return LayerContent.head(run.cancellation().guard(run.source().openBlob(layer)));
    }

    private LayerOutcome recompress(Descriptor layer, Digest diffId, InputStream blob, Compression actual,
                                    MediaType wantedType, String note, LayerProgress progress) throws IOException {
        try (BlobWriter writer = run.target().newBlob()) {
            LayerRecompressor.Pass pass;
            try {
                pass = recompressor.recompress(blob, actual, run.options().compression(),
                        run.options().effectiveLevel(), progress.writing(writer.stream()),
                        new StageThreads(run.cancellation(), layer.digest().toString()));
            } catch (IOException decodeFailure) {
                throw explainDecodeFailure(layer, actual, blob, decodeFailure);
            }
            run.report().read(layer.size());
            if (!pass.diffId().equals(diffId)) {
                throw new RecastException(ErrorKind.DIGEST_MISMATCH, "layer decompresses to " + pass.diffId()
                        + " but the config's diff_id is " + diffId, run.imageName(), layer.digest().toString(), null);
            }
            BlobWriter.Written written = writer.commit();
            if (!written.alreadyPresent()) {
                run.report().wrote(written.size());
            }
            if (usesCache()) {
                // an entry is the same whatever the manifest format: typed as OCI, retyped when it is used
                cached.record(layer, diffId, new Descriptor(MediaType.ociLayer(run.options().compression()),
                        written.digest(), written.size()));
            }
            return new LayerOutcome(LayerAction.RECOMPRESSED, wantedType, written.digest(), written.size(), 0, note,
                    pass.annotations());
        }
    }

    /**
     * zstd:chunked layers bypass the layer cache: podman trusts a chunked blob's table of contents for the files it
     * fetches, and an entry read back from the cache repository is checked only against its diff_id, not its TOC.
     */
    private boolean usesCache() {
        return run.options().compression() != Compression.ZSTD_CHUNKED;
    }

    /**
     * A layer that does not decode is either corrupt (its bytes do not match its digest: reading the rest of the blob
     * shows that) or intact but not valid {@code compression} data.
     */
    private RecastException explainDecodeFailure(Descriptor layer, Compression compression, InputStream blob,
                                                 IOException failure) {
        try {
            blob.transferTo(OutputStream.nullOutputStream());
        } catch (RecastException digestMismatch) {
            return digestMismatch.in(run.imageName(), layer.digest().toString());
        } catch (IOException readFailure) {
            return new RecastException(BlobCopier.kindOf(failure), "layer failed: " + failure.getMessage(),
                    run.imageName(), layer.digest().toString(), failure);
        }
        return new RecastException(ErrorKind.INVALID_IMAGE, "layer matches its digest but is not valid "
                + compression.label() + " data: " + failure.getMessage(), run.imageName(), layer.digest().toString(), failure);
    }
}
