package dev.recast.registry.http;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.model.Content;
import dev.recast.model.Digest;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code PUT /v2/<name>/manifests/<reference>}: stores a manifest under its digest or a tag, and checks the digest the
 * registry says it stored. Safe to retry: the same bytes under the same reference.
 * <p>
 * A refusal that only another writer of the same manifest caused ({@link RecastException#isRaceWithAnotherWriter}:
 * replicas converting one image at once, or carrying referrers to it, meet it on distribution) is sent again after a
 * short wait, up to {@value #RACE_ATTEMPTS} times in all; one that persists is reported.
 */
final class ManifestPusher {
    static final int RACE_ATTEMPTS = 5;
    private static final long RACE_WAIT_MILLIS = 40;

    private final RemoteRepository repository;

    ManifestPusher(RemoteRepository repository) {
        this.repository = repository;
    }

    /** Returns whether the registry answered with {@code OCI-Subject}: it indexed the manifest as a referrer itself. */
    boolean push(Content manifest, String reference) {
        for (int attempt = 1; ; attempt++) {
            try {
                return pushOnce(manifest, reference);
            } catch (RecastException e) {
                if (attempt >= RACE_ATTEMPTS || !e.isRaceWithAnotherWriter()) {
                    throw e;
                }
                pause(attempt);
            }
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(RACE_WAIT_MILLIS * attempt + ThreadLocalRandom.current().nextLong(RACE_WAIT_MILLIS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RecastException(ErrorKind.IO, "interrupted while pushing a manifest again", e);
        }
    }

    private boolean pushOnce(Content manifest, String reference) {
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
