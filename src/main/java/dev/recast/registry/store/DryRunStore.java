package dev.recast.registry.store;

import dev.recast.model.Content;
import dev.recast.model.Descriptor;
import dev.recast.model.Digest;
import dev.recast.stream.HashingOutputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/** A target that reads like the real one and discards every write: a dry run computes all, changes nothing. */
public final class DryRunStore implements ImageStore {
    private final ImageStore target;

    public DryRunStore(ImageStore target) {
        this.target = target;
    }

    @Override
    public String name() {
        return target.name();
    }

    @Override
    public Optional<Content> findManifest(String reference) {
        return target.findManifest(reference);
    }

    @Override
    public InputStream openBlob(Descriptor descriptor) {
        return target.openBlob(descriptor);
    }

    @Override
    public boolean hasBlob(Digest digest) {
        return target.hasBlob(digest);
    }

    @Override
    public BlobWriter newBlob() {
        HashingOutputStream hashing = new HashingOutputStream(OutputStream.nullOutputStream());
        return new BlobWriter() {
            @Override
            public OutputStream stream() {
                return hashing;
            }

            @Override
            public Written commit() {
                Digest digest = hashing.digest();
                return new Written(digest, hashing.count(), target.hasBlob(digest));
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public void putBlob(Descriptor descriptor, InputStream content) {
        // still read and verify the source, as the real copy would
        try (InputStream in = content) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean mountBlob(Descriptor descriptor, ImageStore from) {
        return false;
    }

    @Override
    public void putManifest(Content manifest) {
    }

    @Override
    public void tag(String tag, Content manifest) {
    }

    @Override
    public Optional<List<Descriptor>> findReferrers(Digest subject, String artifactType) {
        return target.findReferrers(subject, artifactType);
    }

    /** Nothing is written, so there is no fallback index to maintain either. */
    @Override
    public boolean putReferrer(Content manifest) {
        return true;
    }

    @Override
    public void close() {
        target.close();
    }
}
