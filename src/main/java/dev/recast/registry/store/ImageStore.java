package dev.recast.registry.store;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.model.Content;
import dev.recast.model.Descriptor;
import dev.recast.model.Digest;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * Where images live: one repository of a registry, or one OCI layout directory. The engine only talks to this
 * interface, so every transport converts the same way. Every read is digest-checked; every write is content-
 * addressed, so writing twice or in parallel is safe.
 */
public interface ImageStore extends AutoCloseable {

    /** How users name this store, e.g. {@code oci:/tmp/app} or {@code registry.example.com/team/app}. */
    String name();

    /** The manifest or index a tag or digest names, as stored (digest verified), or empty when there is none. */
    Optional<Content> findManifest(String reference);

    /** The manifest or index a tag or digest names, as {@link #findManifest}; a {@code NOT_FOUND} error when none. */
    default Content requireManifest(String reference) {
        return findManifest(reference).orElseThrow(() -> new RecastException(ErrorKind.NOT_FOUND, "manifest "
                + reference + " not found in " + name()));
    }

    /** A blob's bytes, checked against the descriptor's digest and size while they are read. */
    InputStream openBlob(Descriptor descriptor);

    boolean hasBlob(Digest digest);

    /** Starts a blob whose digest is only known once it is written (e.g. a freshly compressed layer). */
    BlobWriter newBlob();

    /** Writes a blob whose descriptor is known; the bytes are checked against it before the blob becomes visible. */
    void putBlob(Descriptor descriptor, InputStream content);

    /** Writes a small blob held in memory, unless the store has it already. */
    default void putIfAbsent(Content blob) {
        if (!hasBlob(blob.digest())) {
            putBlob(blob.descriptor(), new ByteArrayInputStream(blob.bytes()));
        }
    }

    /**
     * Makes a blob of another store of the same registry available here without moving its bytes.
     * Returns false when that is not possible, and the caller copies instead.
     */
    default boolean mountBlob(Descriptor descriptor, ImageStore from) {
        return false;
    }

    /** Stores a manifest or index by its digest; every blob and child it names must already be here. */
    void putManifest(Content manifest);

    /**
     * Stores a manifest under a tag (and so by its digest too: a registry's PUT by tag stores both); every blob and
     * child it names must already be here. This is the last step of every write.
     */
    void tag(String tag, Content manifest);

    /**
     * The referrers API (OCI distribution 1.1): descriptors of the manifests whose {@code subject} is {@code subject},
     * or empty when this store has no such API (a registry answering 404, a layout), so the caller reads the fallback
     * tag index instead. {@code artifactType} (or null) asks the store to filter; callers still filter themselves, as
     * a registry may ignore it.
     */
    default Optional<List<Descriptor>> findReferrers(Digest subject, String artifactType) {
        return Optional.empty();
    }

    /**
     * Stores a manifest that has a {@code subject} by its digest, as {@link #putManifest}; true when the store indexed
     * it as a referrer itself (a registry answering with {@code OCI-Subject}), false when the caller must maintain the
     * fallback tag index.
     */
    default boolean putReferrer(Content manifest) {
        putManifest(manifest);
        return false;
    }

    @Override
    default void close() {
    }
}
