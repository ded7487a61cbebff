package dev.recast.convert;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.model.Descriptor;
import dev.recast.model.Digest;
import dev.recast.model.ImageConfig;
import dev.recast.registry.store.ImageConfigReader;
import dev.recast.registry.store.RegistryConnectionException;

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
