package dev.recast.registry.http;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.model.Content;
import dev.recast.model.Digest;
import dev.recast.model.MediaType;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET /v2/<name>/manifests/<reference>}: a manifest or index, read up to the size limit and checked against
 * the digest asked for and the digest the registry names.
 */
final class ManifestPuller {
    static final String ACCEPT = String.join(", ", MediaType.OCI_MANIFEST.value(), MediaType.OCI_INDEX.value(),
            MediaType.DOCKER_MANIFEST.value(), MediaType.DOCKER_MANIFEST_LIST.value());

    private final RemoteRepository repository;

    ManifestPuller(RemoteRepository repository) {
        this.repository = repository;
    }

    /** The manifest a tag or digest names, or empty when the registry has none (404). */
    Optional<Content> pull(String reference) {
        if (reference == null) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "a tag or digest is needed to read from " + repository.name());
        }
        RegistryEndpointCaller caller = repository.caller();
        String action = "GET manifest " + repository.name() + (Digest.isDigest(reference) ? "@" : ":") + reference;
        HttpResponse<InputStream> response = caller.sendAllowing(new RegistryCall("GET",
                repository.url("manifests/" + reference), Map.of("Accept", ACCEPT), null, repository.pull(), true,
                action), Set.of(200), Set.of(404));
        if (response.statusCode() == 404) {
            RegistryFailure.drain(response);
            return Optional.empty();
        }
        byte[] bytes = readBounded(response, caller.settings().manifestLimit(), action);
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
        return Optional.of(new Content(mediaType(response), bytes, actual));
    }

    /** A body of at most {@code limit} bytes (by its Content-Length, and as read): manifests, referrers indexes. */
    static byte[] readBounded(HttpResponse<InputStream> response, long limit, String action) {
        long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (declared > limit) {
            RegistryFailure.drain(response);
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
        return bytes;
    }

    /** The Content-Type without parameters; a type Recast does not know is read as an OCI manifest. */
    private static MediaType mediaType(HttpResponse<InputStream> response) {
        String contentType = response.headers().firstValue("Content-Type").orElse(MediaType.OCI_MANIFEST.value());
        int semicolon = contentType.indexOf(';');
        try {
            return MediaType.of((semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim());
        } catch (RecastException e) {
            return MediaType.OCI_MANIFEST;
        }
    }
}
