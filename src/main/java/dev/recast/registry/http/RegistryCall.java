package dev.recast.registry.http;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * One request to a registry, described so that it can be sent again (retries, re-authentication).
 *
 * @param body       request bytes, or null; always replayable, which is why uploads send chunks held in memory
 * @param scopes     token scopes the request needs, e.g. {@code repository:team/app:pull,push}
 * @param idempotent whether it may be retried after a connection error or a 429/5xx
 * @param action     what is attempted, for error messages ("GET manifest team/app:v1")
 */
public record RegistryCall(String method, URI uri, Map<String, String> headers, byte[] body, List<String> scopes,
                           boolean idempotent, String action) {

    public RegistryCall {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
    }

    /** The same call sent to another address (a redirect target). */
    public RegistryCall at(URI other) {
        return new RegistryCall(method, other, headers, body, scopes, idempotent, action);
    }
}
