package dev.recast.registry.http;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.model.Digest;
import org.jboss.logging.Logger;

import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /v2/<name>/blobs/uploads/?mount=<digest>&from=<other>}: a cross-repository mount on one registry.
 * 201 means mounted; 202 means declined (the upload session it opened instead is cancelled).
 */
final class BlobMounter {
    private static final Logger LOG = Logger.getLogger(BlobMounter.class);

    private final RemoteRepository repository;

    BlobMounter(RemoteRepository repository) {
        this.repository = repository;
    }

    /** Whether the blob of {@code from} is now in this repository; false means the caller copies it. */
    boolean mount(Digest digest, String from) {
        RegistryEndpointCaller caller = repository.caller();
        List<String> scopes = List.of(repository.push().getFirst(), "repository:" + from + ":pull");
        URI uri = repository.url("blobs/uploads/?mount=" + encode(digest.toString()) + "&from=" + encode(from));
        HttpResponse<InputStream> response;
        try {
            // retried like any idempotent call: a repeated mount is harmless, an extra session expires
            response = caller.send(new RegistryCall("POST", uri, Map.of(), null, scopes, true, "mount "
                    + digest + " from " + from + " into " + repository.name()), Set.of(201, 202));
        } catch (RecastException e) {
            if (e.kind() != ErrorKind.UPSTREAM) {
                throw e;
            }
            // a mount only saves bytes: when the registry still fails it after the retry rule's tries, or refuses
            // mounts altogether (e.g. 405), the blob is copied instead
            LOG.debugf("mount of %s into %s failed, copying instead: %s", digest, repository.name(), e.getMessage());
            return false;
        }
        RegistryFailure.drain(response);
        if (response.statusCode() == 201) {
            caller.counters().mounted();
            return true;
        }
        URI session = BlobUpload.location(repository, uri, response);
        RegistryFailure.drain(caller.sendAllowing(new RegistryCall("DELETE", session, Map.of(), null, repository.push(),
                false, "cancel declined mount in " + repository.name()), Set.of(204), Set.of(400, 404, 405)));
        return false;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
