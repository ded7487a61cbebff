package dev.recast.convert;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.model.Compression;
import dev.recast.model.Descriptor;
import dev.recast.model.Digest;
import dev.recast.model.ImageConfig;
import dev.recast.registry.store.ImageConfigReader;
import dev.recast.registry.store.RegistryConnectionException;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes blobs present in the target unchanged — already there, mounted, or copied digest-checked — each at most once
 * per run; a config is read from the source once, both to parse it and to copy it.
 */
final class BlobCopier {
    private final ConversionRun run;
    private final Set<Digest> present = ConcurrentHashMap.newKeySet();
    /** Layers whose first bytes were found to match their media type. */
    private final Set<Digest> checked = ConcurrentHashMap.newKeySet();

    BlobCopier(ConversionRun run) {
        this.run = run;
    }

    /** Returns true when the blob's bytes were copied (not already there, not mounted). */
    boolean copy(Descriptor blob) {
        if (isThereOrMounted(blob)) {
            return false;
        }
        try (InputStream in = run.cancellation().guard(run.source().openBlob(blob))) {
            run.target().putBlob(blob, in);
            present.add(blob.digest());
            run.report().read(blob.size());
            run.report().wrote(blob.size());
            return true;
        } catch (IOException | UncheckedIOException e) {
            throw new RecastException(kindOf(e), "cannot copy blob: " + e.getMessage(), run.imageName(), blob.digest().toString(), e);
        }
    }

    /**
     * Copies a filesystem layer whose manifest is kept as it is: refused when its first bytes contradict its media
     * type (gzip, zstd or tar), since the copy would carry the lie on. Other blobs are copied as {@link #copy} does.
     */
    boolean copyLayer(Descriptor layer) {
        Compression declared = layer.mediaType().layerCompression();
        if (declared == null) {
            return copy(layer);
        }
        try {
            if (isThereOrMounted(layer)) {
                if (checked.add(layer.digest())) {
                    requireTruthful(layer, LayerContent.head(run.cancellation().guard(run.source().openBlob(layer))));
                }
                return false;
            }
            InputStream source = run.cancellation().guard(run.source().openBlob(layer));
            try (BufferedInputStream in = new BufferedInputStream(source, 1 << 16)) {
                requireTruthful(layer, LayerContent.peek(in));
                run.target().putBlob(layer, in);
            }
            checked.add(layer.digest());
            present.add(layer.digest());
            run.report().read(layer.size());
            run.report().wrote(layer.size());
            return true;
        } catch (IOException | UncheckedIOException e) {
            throw new RecastException(kindOf(e), "cannot copy layer: " + e.getMessage(), run.imageName(),
                    layer.digest().toString(), e);
        }
    }

    /** A layer typed as a plain tar may hold anything but gzip or zstd: only its compression is checked here. */
    private void requireTruthful(Descriptor layer, Compression actual) {
        Compression declared = layer.mediaType().layerCompression();
        if (actual == declared || (actual == null && declared == Compression.NONE)) {
            return;
        }
        String lie = actual == null
                ? "media type said " + declared.label() + ", content is neither gzip, zstd nor a tar"
                : LayerContent.lie(declared, actual);
        throw new RecastException(ErrorKind.INVALID_IMAGE, lie + ": refused, as a copy that keeps its manifest "
                + "unchanged would keep the wrong type", run.imageName(), layer.digest().toString(), null);
    }

    /** Reads and parses an image's config: the one read of it in this run. */
    ImageConfig readConfig(Descriptor descriptor) {
        ImageConfig config = ImageConfigReader.read(run.source(), descriptor, run.limits().configBytes());
        run.report().read(descriptor.size());
        return config;
    }

    /** Makes a config read by {@link #readConfig} present in the target, from the bytes already read. */
    void copyConfig(Descriptor descriptor, ImageConfig config) {
        if (isThereOrMounted(descriptor)) {
            return;
        }
        byte[] bytes = config.content().bytes();
        run.target().putBlob(descriptor, new ByteArrayInputStream(bytes));
        present.add(descriptor.digest());
        run.report().wrote(bytes.length);
    }

    /** True when the target already holds the blob (checked once per run) or it could be mounted there. */
    boolean isThereOrMounted(Descriptor blob) {
        if (present.contains(blob.digest())) {
            return true;
        }
        if (run.target().hasBlob(blob.digest()) || run.target().mountBlob(blob, run.source())) {
            present.add(blob.digest());
            return true;
        }
        return false;
    }

    /** A registry connection that failed for good is upstream's fault; other I/O failures are ours. */
    static ErrorKind kindOf(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RegistryConnectionException) {
                return ErrorKind.UPSTREAM;
            }
        }
        return ErrorKind.IO;
    }
}
