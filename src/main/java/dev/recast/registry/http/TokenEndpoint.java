package dev.recast.registry.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.registry.http.RegistryAuthenticator.BearerToken;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The token service a registry's Bearer challenge names (its realm): asked for a token for some scopes, with the
 * registry's credentials when the realm may receive them (HTTPS, the registry itself, or a host listed as insecure),
 * anonymously otherwise. The realm is checked against the host policy like any other connection.
 */
final class TokenEndpoint {
    private static final Logger LOG = Logger.getLogger(TokenEndpoint.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryOrigin origin;
    private final RegistrySettings settings;
    private final HttpClient http;
    private final TransferCounters counters;

    TokenEndpoint(RegistryOrigin origin, RegistrySettings settings, HttpClient http, TransferCounters counters) {
        this.origin = origin;
        this.settings = settings;
        this.http = http;
        this.counters = counters;
    }

    BearerToken fetch(Challenge bearer, List<String> scopes, String action) {
        String registry = origin.registry();
        Optional<Credentials> credentials = settings.credentials().lookup(registry);
        URI realm = realm(bearer);
        settings.hostPolicy().checkConnection(realm, "the token realm of registry " + registry + " (" + realm.getHost() + ")");
        if (credentials.isPresent() && !mayReceiveCredentials(realm)) {
            LOG.debugf("not sending credentials for %s to the plain-HTTP token realm %s", registry, realm.getHost());
            credentials = Optional.empty();
        }
        try {
            counters.request();
            HttpResponse<InputStream> response = TimedResponse.of(http.send(request(realm, query(bearer, scopes),
                    credentials), HttpResponse.BodyHandlers.ofInputStream()), "the token request to " + realm.getHost(), settings);
            byte[] body;
            try (InputStream in = response.body()) {
                body = in.readNBytes(1 << 20);
            }
            if (response.statusCode() == 401 || response.statusCode() == 403) {
                boolean withheld = credentials.isEmpty() && settings.credentials().lookup(registry).isPresent();
                throw new RecastException(ErrorKind.UPSTREAM_AUTH, "the token service of registry " + registry + " ("
                        + realm.getHost() + ") refused " + (credentials.isPresent() ? "the configured credentials" : "anonymous access")
                        + " for " + String.join(" ", scopes) + " (" + response.statusCode() + ") while trying " + action
                        + (withheld ? "; the credentials were not sent because the realm is plain HTTP and not listed in "
                        + "recast.registries.insecure" : ""));
            }
            if (response.statusCode() != 200) {
                throw new RecastException(ErrorKind.UPSTREAM, "the token service of registry " + registry + " answered "
                        + response.statusCode() + " while trying " + action);
            }
            return token(JSON.readTree(body));
        } catch (IOException e) {
            throw new RecastException(ErrorKind.UPSTREAM, "the token service of registry " + registry + " ("
                    + realm.getHost() + ") could not be reached: " + RegistryFailure.describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RecastException(ErrorKind.IO, "interrupted while fetching a token", e);
        }
    }

    private static String query(Challenge bearer, List<String> scopes) {
        StringBuilder query = new StringBuilder();
        String service = bearer.parameter("service");
        if (service != null) {
            query.append("service=").append(encode(service));
        }
        for (String scope : new TreeSet<>(scopes)) {
            query.append(query.isEmpty() ? "" : "&").append("scope=").append(encode(scope));
        }
        return query.toString();
    }

    /** A refresh token (Docker's identity token) goes in an OAuth2 form POST; anything else in a GET. */
    private HttpRequest request(URI realm, String query, Optional<Credentials> credentials) {
        HttpRequest.Builder request;
        if (credentials.isPresent() && credentials.get().identityToken()) {
            String form = query + "&grant_type=refresh_token&client_id=recast&refresh_token="
                    + encode(credentials.get().secret());
            request = HttpRequest.newBuilder(realm).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form));
        } else {
            request = HttpRequest.newBuilder(URI.create(realm + (realm.getQuery() == null ? "?" : "&") + query)).GET();
            credentials.ifPresent(c -> request.header("Authorization", c.basicHeader()));
        }
        return request.timeout(settings.requestTimeout()).build();
    }

    private BearerToken token(JsonNode json) {
        String token = json.path("token").asText(json.path("access_token").asText(""));
        if (token.isEmpty()) {
            throw new RecastException(ErrorKind.UPSTREAM, "the token service of registry " + origin.registry()
                    + " answered without a token");
        }
        long expiresIn = Math.max(json.path("expires_in").asLong(60), 10);
        return new BearerToken(token, System.nanoTime() + Duration.ofSeconds(expiresIn).toNanos() * 9 / 10);
    }

    private URI realm(Challenge bearer) {
        URI realm;
        try {
            realm = new URI(bearer.parameter("realm"));
        } catch (URISyntaxException e) {
            realm = null;
        }
        if (realm == null || realm.getHost() == null || realm.getScheme() == null
                || !(realm.getScheme().equals("https") || realm.getScheme().equals("http"))) {
            throw new RecastException(ErrorKind.UPSTREAM, "registry " + origin.registry() + " names an unusable token realm");
        }
        return realm;
    }

    /**
     * A token realm gets the registry's credentials over HTTPS; over plain HTTP only when it is the registry itself or
     * a host the operator listed as insecure (on the command line, loopback too).
     */
    private boolean mayReceiveCredentials(URI realm) {
        if (realm.getScheme().equals("https") || origin.isOwn(realm)) {
            return true;
        }
        String host = realm.getHost().toLowerCase(Locale.ROOT);
        String authority = realm.getPort() >= 0 ? host + ":" + realm.getPort() : host;
        if (!settings.hostPolicy().isService()) {
            return settings.isPlainHttp(authority); // the command line trusts loopback as it does for registries
        }
        return settings.insecureHosts().contains(host) || settings.insecureHosts().contains(authority);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
