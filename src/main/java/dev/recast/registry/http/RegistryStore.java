package dev.recast.registry.http;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.model.Content;
import dev.recast.model.Descriptor;
import dev.recast.model.Digest;
import dev.recast.registry.store.BlobWriter;
import dev.recast.registry.store.ImageStore;
import dev.recast.stream.VerifyingInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * One repository of a registry as an {@link ImageStore}: each operation is one protocol step (a puller, a pusher, a
 * checker, a mounter, an upload), all run by the registry's {@link RegistryEndpointCaller}.
 */
public final class RegistryStore implements ImageStore {
    private final RemoteRepository repository;
    private final WritableRepositories writable;
    private final ManifestPuller manifestPuller;
    private final ManifestPusher manifestPusher;
    private final BlobChecker blobChecker;
    private final BlobPuller blobPuller;
    private final BlobMounter blobMounter;
    private final ReferrersLister referrersLister;

    public RegistryStore(RegistryEndpointCaller caller, String repository) {
        this(caller, repository, WritableRepositories.ANY);
    }

    /** A store that refuses every write outside {@code writable} before sending anything. */
    public RegistryStore(RegistryEndpointCaller caller, String repository, WritableRepositories writable) {
        this.repository = new RemoteRepository(caller, repository);
        this.writable = writable;
        this.manifestPuller = new ManifestPuller(this.repository);
        this.manifestPusher = new ManifestPusher(this.repository);
        this.blobChecker = new BlobChecker(this.repository);
        this.blobPuller = new BlobPuller(this.repository);
        this.blobMounter = new BlobMounter(this.repository);
        this.referrersLister = new ReferrersLister(this.repository);
    }

    @Override
    public String name() {
        return repository.name();
    }

    public String registry() {
        return repository.caller().registry();
    }

    public String repository() {
        return repository.repository();
    }

    @Override
    public Optional<Content> findManifest(String reference) {
        return manifestPuller.pull(reference);
    }

    @Override
    public InputStream openBlob(Descriptor descriptor) {
        return blobPuller.pull(descriptor);
    }

    @Override
    public boolean hasBlob(Digest digest) {
        return blobChecker.exists(digest);
    }

    @Override
    public BlobWriter newBlob() {
        writable.check(registry(), repository());
        BlobUpload upload = new BlobUpload(repository, repository.caller().settings().chunkSize());
        upload.open();
        return upload;
    }

    @Override
    public void putBlob(Descriptor descriptor, InputStream content) {
        try (BlobWriter writer = newBlob();
             InputStream in = new VerifyingInputStream(content, descriptor.digest(), descriptor.size(),
                     "blob " + descriptor.digest() + " for " + name())) {
            in.transferTo(writer.stream());
            BlobWriter.Written written = writer.commit();
            if (!written.digest().equals(descriptor.digest())) {
                throw new RecastException(ErrorKind.DIGEST_MISMATCH, "uploaded " + written.digest() + " to " + name()
                        + " where " + descriptor.digest() + " was meant", null, descriptor.digest().toString(), null);
            }
        } catch (IOException e) {
            throw new RecastException(ErrorKind.IO, "cannot copy blob " + descriptor.digest() + " to " + name() + ": "
                    + e.getMessage(), null, descriptor.digest().toString(), e);
        }
    }

    /** Cross-repository mount, only between two repositories of the same registry. */
    @Override
    public boolean mountBlob(Descriptor descriptor, ImageStore from) {
        writable.check(registry(), repository());
        if (!(from instanceof RegistryStore other) || !other.registry().equals(registry())
                || other.repository().equals(repository())) {
            return false;
        }
        return blobMounter.mount(descriptor.digest(), other.repository());
    }

    @Override
    public void putManifest(Content manifest) {
        writable.check(registry(), repository());
        manifestPusher.push(manifest, manifest.digest().toString());
    }

    @Override
    public void tag(String tag, Content manifest) {
        writable.check(registry(), repository());
        manifestPusher.push(manifest, tag);
    }

    @Override
    public Optional<List<Descriptor>> findReferrers(Digest subject, String artifactType) {
        return referrersLister.list(subject, artifactType);
    }

    @Override
    public boolean putReferrer(Content manifest) {
        writable.check(registry(), repository());
        return manifestPusher.push(manifest, manifest.digest().toString());
    }
}
