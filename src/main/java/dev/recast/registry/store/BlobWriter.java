package dev.recast.registry.store;

import dev.recast.model.Digest;

import java.io.OutputStream;

/**
 * A blob being written: bytes go to {@link #stream()}, {@link #commit()} makes them visible under their digest.
 * Closing without commit discards everything written.
 */
public interface BlobWriter extends AutoCloseable {

    OutputStream stream();

    /** Finishes the blob and returns its digest and size as written. */
    Written commit();

    @Override
    void close();

    record Written(Digest digest, long size, boolean alreadyPresent) {
    }
}
