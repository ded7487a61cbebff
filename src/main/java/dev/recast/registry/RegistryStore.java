package dev.recast.registry;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.model.Content;
import dev.recast.model.Descriptor;
import dev.recast.model.Digest;
import dev.recast.model.MediaType;
import dev.recast.stream.VerifyingInputStream;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** One repository of a registry, spoken to with the OCI distribution protocol. */
public final class RegistryStore implements ImageStore {
    private static final Logger LOG = Logger.getLogger(RegistryStore.class);
    static final String ACCEPT = String.join(", ", MediaType.OCI_MANIFEST.value(), MediaType.OCI_INDEX.value(),
            MediaType.DOCKER_MANIFEST.value(), MediaType.DOCKER_MANIFEST_LIST.value());

    private final RegistryClient client;
    private final String repository;
    private final List<String> pull;
    private final List<String> push;
    private final WritableRepositories writable;

    public RegistryStore(RegistryClient client, String repository) {
        this(client, repository, WritableRepositories.ANY);
    }

    /** A store that refuses every write outside {@code writable} before sending anything. */
    public RegistryStore(RegistryClient client, String repository, WritableRepositories writable) {
        this.client = client;
        this.repository = repository;
        this.writable = writable;
        this.pull = List.of("repository:" + repository + ":pull");
        this.push = List.of("repository:" + repository + ":pull,push");
    }

    @Override
    public String name() {
        return client.registry() + "/" + repository;
    }

    public String registry() {
        return client.registry();
    }

    public String repository() {
        return repository;
    }

    @Override
    public Optional<Content> findManifest(String reference) {
        if (reference == null) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "a tag or digest is needed to read from " + name());
        }
        String action = "GET manifest " + name() + (Digest.isDigest(reference) ? "@" : ":") + reference;
        HttpResponse<InputStream> response = client.sendAllowing(new RegistryCall("GET",
                client.url(repository + "/manifests/" + reference), Map.of("Accept", ACCEPT), null, pull, true, action),
                Set.of(200), Set.of(404));
        if (response.statusCode() == 404) {
            RegistryClient.drain(response);
            return Optional.empty();
        }
        long limit = client.settings().manifestLimit();
        long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (declared > limit) {
            RegistryClient.drain(response);
            throw new RecastException(ErrorKind.TOO_LARGE, action + ": manifest is " + declared
                    + " bytes, over the limit of " + limit);
        }
        byte[] bytes;
        try (InputStream in = response.body()) {
            bytes = in.readNBytes((int) limit + 1);
        } catch (IOException e) {
            throw new RecastException(ErrorKind.UPSTREAM, action + ": " + e.getMessage(), e);
        }
        if (bytes.length > limit) {
            throw new RecastException(ErrorKind.TOO_LARGE, action + ": manifest is over the limit of " + limit + " bytes");
        }
        Digest actual = Digest.sha256(bytes);
        if (Digest.isDigest(reference)) {
            Digest wanted = Digest.parse(reference);
            if (!wanted.matches(bytes)) {
                throw new RecastException(ErrorKind.DIGEST_MISMATCH, action + ": the registry served bytes whose digest is "
                        + wanted.ofBytes(bytes) + ", not the one asked for");
            }
            actual = wanted;
        }
        Optional<String> header = response.headers().firstValue("Docker-Content-Digest");
        if (header.isPresent() && Digest.isDigest(header.get())) {
            Digest named = Digest.parse(header.get());
            if (!named.matches(bytes)) {
                throw new RecastException(ErrorKind.DIGEST_MISMATCH, action + ": Docker-Content-Digest says " + named
                        + " but the bytes hash to " + named.ofBytes(bytes));
            }
        }
        String contentType = response.headers().firstValue("Content-Type").orElse(MediaType.OCI_MANIFEST.value());
        int semicolon = contentType.indexOf(';');
        MediaType type;
        try {
            type = MediaType.of((semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim());
        } catch (RecastException e) {
            type = MediaType.OCI_MANIFEST;
        }
        return Optional.of(new Content(type, bytes, actual));
    }

    @Override
    public InputStream openBlob(Descriptor descriptor) {
        String action = "GET blob " + descriptor.digest() + " from " + name();
        URI uri = client.url(repository + "/blobs/" + descriptor.digest());
        RegistryCall call = new RegistryCall("GET", uri, Map.of(), null, pull, true, action);
        HttpResponse<InputStream> first = client.getFollowingRedirects(call, Set.of(200));
        ResumingBlobStream resuming = new ResumingBlobStream(first, offset -> client.getFollowingRedirects(
                new RegistryCall("GET", uri, Map.of("Range", "bytes=" + offset + "-"), null, pull, true, action),
                Set.of(200, 206)), client.settings().maxAttempts(), action, client.counters());
        return new VerifyingInputStream(resuming, descriptor.digest(), descriptor.size(), "blob " + descriptor.digest()
                + " from " + name());
    }

    @Override
    public boolean hasBlob(Digest digest) {
        HttpResponse<InputStream> response = client.sendAllowing(new RegistryCall("HEAD",
                client.url(repository + "/blobs/" + digest), Map.of(), null, pull, true,
                "HEAD blob " + digest + " in " + name()), Set.of(200), Set.of(404));
        RegistryClient.drain(response);
        return response.statusCode() == 200;
    }

    @Override
    public BlobWriter newBlob() {
        writable.check(registry(), repository);
        BlobUpload upload = new BlobUpload(client, repository, push, client.settings().chunkSize());
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

    /** Cross-repository mount on the same registry: 201 means done, 202 means declined (the session is cancelled). */
    @Override
    public boolean mountBlob(Descriptor descriptor, ImageStore from) {
        writable.check(registry(), repository);
        if (!(from instanceof RegistryStore other) || !other.registry().equals(registry())
                || other.repository.equals(repository)) {
            return false;
        }
        List<String> scopes = List.of(push.getFirst(), "repository:" + other.repository + ":pull");
        URI uri = client.url(repository + "/blobs/uploads/?mount=" + encode(descriptor.digest().toString())
                + "&from=" + encode(other.repository));
        HttpResponse<InputStream> response;
        try {
            // retried like any idempotent call: a repeated mount is harmless, an extra session expires
            response = client.send(new RegistryCall("POST", uri, Map.of(), null, scopes, true, "mount "
                    + descriptor.digest() + " from " + other.repository + " into " + name()), Set.of(201, 202));
        } catch (RecastException e) {
            if (e.kind() != ErrorKind.UPSTREAM) {
                throw e;
            }
            // a mount only saves bytes: when the registry keeps failing it, the blob is copied instead
            LOG.debugf("mount of %s into %s failed, copying instead: %s", descriptor.digest(), name(), e.getMessage());
            return false;
        }
        RegistryClient.drain(response);
        if (response.statusCode() == 201) {
            client.counters().mounted();
            return true;
        }
        URI session = BlobUpload.location(client, uri, response, repository);
        RegistryClient.drain(client.sendAllowing(new RegistryCall("DELETE", session, Map.of(), null, push, false,
                "cancel declined mount in " + name()), Set.of(204), Set.of(400, 404, 405)));
        return false;
    }

    @Override
    public void putManifest(Content manifest) {
        put(manifest, manifest.digest().toString());
    }

    @Override
    public void tag(String tag, Content manifest) {
        put(manifest, tag);
    }

    private void put(Content manifest, String reference) {
        writable.check(registry(), repository);
        String action = "PUT manifest " + name() + (Digest.isDigest(reference) ? "@" : ":") + reference;
        HttpResponse<InputStream> response = client.send(new RegistryCall("PUT",
                client.url(repository + "/manifests/" + reference), Map.of("Content-Type", manifest.mediaType().value()),
                manifest.bytes(), push, true, action), Set.of(201, 200, 204));
        RegistryClient.drain(response);
        client.counters().manifestPut(!Digest.isDigest(reference));
        response.headers().firstValue("Docker-Content-Digest").filter(Digest::isDigest).map(Digest::parse)
                .filter(stored -> !stored.equals(manifest.digest())).ifPresent(stored -> {
                    throw new RecastException(ErrorKind.DIGEST_MISMATCH, action + ": the registry stored " + stored
                            + " instead of " + manifest.digest());
                });
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
