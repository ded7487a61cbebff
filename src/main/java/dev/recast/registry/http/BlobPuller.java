package dev.recast.registry.http;

import dev.recast.model.Descriptor;
import dev.recast.stream.VerifyingInputStream;

import java.io.InputStream;
import java.net.URI;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /v2/<name>/blobs/<digest>}, following redirects to storage hosts (without the registry's credentials),
 * resumed with {@code Range} when the connection drops, and checked against the descriptor as it is read.
 */
final class BlobPuller {
    private final RemoteRepository repository;

    BlobPuller(RemoteRepository repository) {
        this.repository = repository;
    }

    InputStream pull(Descriptor descriptor) {
        RegistryEndpointCaller caller = repository.caller();
        String action = "GET blob " + descriptor.digest() + " from " + repository.name();
        URI uri = repository.url("blobs/" + descriptor.digest());
        RegistryCall whole = new RegistryCall("GET", uri, Map.of(), null, repository.pull(), true, action);
        ResumingBlobStream resuming = new ResumingBlobStream(caller.getFollowingRedirects(whole, Set.of(200)),
                offset -> caller.getFollowingRedirects(new RegistryCall("GET", uri, Map.of("Range", "bytes=" + offset + "-"),
                        null, repository.pull(), true, action), Set.of(200, 206)),
                caller.retryRule(), action, caller.counters());
        return new VerifyingInputStream(resuming, descriptor.digest(), descriptor.size(), "blob " + descriptor.digest()
                + " from " + repository.name());
    }
}
