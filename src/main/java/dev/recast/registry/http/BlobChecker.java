package dev.recast.registry.http;

import dev.recast.model.Digest;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;

/** {@code HEAD /v2/<name>/blobs/<digest>}: 200 means the repository has the blob, 404 that it has not. */
final class BlobChecker {
    private final RemoteRepository repository;

    BlobChecker(RemoteRepository repository) {
        this.repository = repository;
    }

    boolean exists(Digest digest) {
        HttpResponse<InputStream> response = repository.caller().sendAllowing(new RegistryCall("HEAD",
                repository.url("blobs/" + digest), Map.of(), null, repository.pull(), true,
                "HEAD blob " + digest + " in " + repository.name()), Set.of(200), Set.of(404));
        RegistryFailure.drain(response);
        return response.statusCode() == 200;
    }
}
