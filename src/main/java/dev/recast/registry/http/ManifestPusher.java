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
 * <p>
 * A refusal that only another writer of the same manifest caused ({@link RecastException#isRaceWithAnotherWriter}:
 * replicas converting one image at once, or carrying referrers to it, meet it on distribution) is sent again as the
 * one retry rule allows (its tries and backoff); one that persists is reported. Other 400s are not: a manifest the
 * registry really refuses will be refused again.
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
        for (int attempt = 1; ; attempt++) {
            try {
                return pushOnce(manifest, reference, action);
            } catch (RecastException e) {
                if (!e.isRaceWithAnotherWriter() || !caller.retryRule().allowsAnother(attempt)) {
                    throw e;
                }
                caller.backoff(action, attempt, null, e.getMessage());
            }
        }
    }

    private boolean pushOnce(Content manifest, String reference, String action) {
        RegistryEndpointCaller caller = repository.caller();
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
