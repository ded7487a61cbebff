package dev.recast.registry.http;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.model.Content;
import dev.recast.model.Digest;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;

/**
 * {@code PUT /v2/<name>/manifests/<reference>}: stores a manifest under its digest or a tag, and checks the digest the
 * registry says it stored. Safe to retry: the same bytes under the same reference.
 */
final class ManifestPusher {
    private final RemoteRepository repository;

    ManifestPusher(RemoteRepository repository) {
        this.repository = repository;
    }

    /** Returns whether the registry answered with {@code OCI-Subject}: it indexed the manifest as a referrer itself. */
    boolean push(Content manifest, String reference) {
        RegistryEndpointCaller caller = repository.caller();
        String action = "PUT manifest " + repository.name() + (Digest.isDigest(reference) ? "@" : ":") + reference;
        HttpResponse<InputStream> response = caller.send(new RegistryCall("PUT", repository.url("manifests/" + reference),
                Map.of("Content-Type", manifest.mediaType().value()), manifest.bytes(), repository.push(), true, action),
                Set.of(201, 200, 204));
        RegistryFailure.drain(response);
        caller.counters().manifestPut(!Digest.isDigest(reference));
        response.headers().firstValue("Docker-Content-Digest").filter(Digest::isDigest).map(Digest::parse)
                .filter(stored -> !stored.equals(manifest.digest())).ifPresent(stored -> {
                    throw new RecastException(ErrorKind.DIGEST_MISMATCH, action + ": the registry stored " + stored
                            + " instead of " + manifest.digest());
                });
        return response.headers().firstValue("OCI-Subject").isPresent();
    }
}
