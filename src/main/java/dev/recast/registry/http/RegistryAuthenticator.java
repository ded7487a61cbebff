package dev.recast.registry.http;

import dev.recast.ErrorKind;
import dev.recast.RecastException;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How to authenticate to one registry: learns its challenge from a 401 (Basic or Bearer), then gives each call its
 * {@code Authorization}: the configured credentials for Basic, a token for the call's scopes for Bearer (fetched from
 * the realm by {@link TokenEndpoint}, cached per scope until shortly before it expires).
 */
final class RegistryAuthenticator {
    private final RegistryOrigin origin;
    private final CredentialSource credentials;
    private final TokenEndpoint tokenEndpoint;
    private final Map<String, BearerToken> tokens = new ConcurrentHashMap<>();
    private volatile Challenge challenge;

    RegistryAuthenticator(RegistryOrigin origin, CredentialSource credentials, TokenEndpoint tokenEndpoint) {
        this.origin = origin;
        this.credentials = credentials;
        this.tokenEndpoint = tokenEndpoint;
    }

    /** The header value for a call to the registry's own origin, or null while no challenge asked for one. */
    String authorization(RegistryCall call) {
        Challenge known = challenge;
        if (known == null) {
            return null;
        }
        if (known.isBasic()) {
            return credentials.lookup(origin.registry()).map(Credentials::basicHeader).orElse(null);
        }
        if (known.isBearer()) {
            return "Bearer " + token(known, scopesFor(call, known), call).value();
        }
        return null;
    }

    /**
     * Learns from a 401's {@code WWW-Authenticate} how to answer next time; refuses when that cannot help (no usable
     * challenge, Basic without credentials, Basic credentials already refused).
     */
    void learn(RegistryCall call, String header) {
        List<Challenge> challenges = Challenge.parse(header);
        Challenge bearer = challenges.stream().filter(Challenge::isBearer).findFirst().orElse(null);
        Challenge basic = challenges.stream().filter(Challenge::isBasic).findFirst().orElse(null);
        String registry = origin.registry();
        if (bearer != null && bearer.parameter("realm") != null) {
            // a 401 with a token we hold means it was revoked or expired early: fetch a new one
            tokens.remove(scopeKey(scopesFor(call, bearer)));
            challenge = bearer;
        } else if (basic != null) {
            if (credentials.lookup(registry).isEmpty()) {
                throw new RecastException(ErrorKind.UPSTREAM_AUTH, "registry " + registry + " requires credentials for "
                        + call.action() + " and none are configured for it");
            }
            if (challenge != null && challenge.isBasic()) {
                throw new RecastException(ErrorKind.UPSTREAM_AUTH, "registry " + registry
                        + " refused the configured credentials for " + call.action() + " (401)");
            }
            challenge = basic;
        } else {
            throw new RecastException(ErrorKind.UPSTREAM_AUTH, "registry " + registry + " answered 401 to "
                    + call.action() + " without a usable WWW-Authenticate challenge");
        }
    }

    /** The scopes a call asked for; a call that names none (e.g. the /v2/ ping) takes what the registry asks. */
    private static List<String> scopesFor(RegistryCall call, Challenge bearer) {
        if (!call.scopes().isEmpty() || bearer.parameter("scope") == null) {
            return call.scopes();
        }
        return List.of(bearer.parameter("scope").split(" "));
    }

    private BearerToken token(Challenge bearer, List<String> scopes, RegistryCall call) {
        String key = scopeKey(scopes);
        BearerToken cached = tokens.get(key);
        if (cached != null && !cached.isExpired()) {
            return cached;
        }
        BearerToken fresh = tokenEndpoint.fetch(bearer, scopes, call.action());
        tokens.put(key, fresh);
        return fresh;
    }

    private static String scopeKey(List<String> scopes) {
        return String.join(" ", new TreeSet<>(scopes));
    }

    /** A bearer token; its value is a secret and is never logged. */
    record BearerToken(String value, long expiresAtNanos) {
        boolean isExpired() {
            return System.nanoTime() >= expiresAtNanos;
        }

        @Override
        public String toString() {
            return "BearerToken[hidden]";
        }
    }
}
