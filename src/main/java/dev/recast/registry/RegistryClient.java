package dev.recast.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recast.ErrorKind;
import dev.recast.RecastException;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one place that talks HTTP to a registry host: it owns authentication (anonymous, Basic, Bearer tokens cached
 * per scope), retries with backoff for idempotent calls, and turns failures into errors that name the registry,
 * the repository and what was attempted. Protocol steps ({@link RegistryStore}, {@link BlobUpload}) describe calls;
 * this class runs them.
 */
public final class RegistryClient {
    private static final Logger LOG = Logger.getLogger(RegistryClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ERROR_BODY_LIMIT = 16 << 10;

    private final String registry;
    private final RegistrySettings settings;
    private final HttpClient http;
    private final TransferCounters counters;
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    private volatile Challenge challenge;

    public RegistryClient(String registry, RegistrySettings settings, HttpClient http, TransferCounters counters) {
        this.registry = registry;
        this.settings = settings;
        this.http = http;
        this.counters = counters;
    }

    public String registry() {
        return registry;
    }

    public RegistrySettings settings() {
        return settings;
    }

    TransferCounters counters() {
        return counters;
    }

    /** {@code http(s)://registry/v2/} + path. */
    public URI url(String path) {
        return URI.create((settings.isPlainHttp(registry) ? "http://" : "https://") + registry + "/v2/" + path);
    }

    /**
     * Sends a call, authenticating and retrying as needed, and returns the response when its status is one of
     * {@code expected}. The caller closes the body. Any other status becomes a {@link RecastException}.
     */
    public HttpResponse<InputStream> send(RegistryCall call, Set<Integer> expected) {
        return sendAllowing(call, expected, Set.of());
    }

    /** As {@link #send}, but statuses in {@code passThrough} are returned too (e.g. 404 for "not there"). */
    public HttpResponse<InputStream> sendAllowing(RegistryCall call, Set<Integer> expected, Set<Integer> passThrough) {
        return run(call, union(expected, passThrough));
    }

    /**
     * Sends a call until it gets an accepted status: retrying connection errors, 429 and 5xx (idempotent calls only),
     * and, on the registry's own origin, answering one 401 with fresh credentials. Other statuses become errors.
     * Credentials and tokens go to the registry's own origin only: never to a host it redirects to or names as the
     * place for an upload.
     */
    private HttpResponse<InputStream> run(RegistryCall call, Set<Integer> accepted) {
        settings.hostPolicy().checkConnection(call.uri(), describe(call));
        boolean authenticate = isOwnOrigin(call.uri());
        int attempts = call.idempotent() ? settings.maxAttempts() : 1;
        boolean reauthenticated = false;
        for (int attempt = 1; ; attempt++) {
            HttpResponse<InputStream> response;
            try {
                response = exchange(call, authenticate ? authorization(call) : null);
            } catch (IOException e) {
                if (attempt < attempts) {
                    backoff(call, attempt, null, e.toString());
                    continue;
                }
                throw new RecastException(ErrorKind.UPSTREAM, describe(call) + " could not be reached for "
                        + call.action() + " after " + attempt + " attempt(s): " + describe(e), e);
            }
            int status = response.statusCode();
            if (accepted.contains(status)) {
                return response;
            }
            if (status == 401 && !authenticate) {
                drain(response);
                throw new RecastException(ErrorKind.UPSTREAM_AUTH, describe(call) + " asked for credentials; Recast sends "
                        + "registry " + registry + "'s credentials to the registry's own origin only");
            }
            if (status == 401 && !reauthenticated) {
                String header = response.headers().firstValue("WWW-Authenticate").orElse(null);
                drain(response);
                reauthenticated = true;
                learnChallenge(call, header);
                attempt--;
                continue;
            }
            if (isRetryable(status) && attempt < attempts) {
                String retryAfter = response.headers().firstValue("Retry-After").orElse(null);
                drain(response);
                backoff(call, attempt, retryAfter, "HTTP " + status);
                continue;
            }
            throw failure(call, response);
        }
    }

    private HttpResponse<InputStream> exchange(RegistryCall call, String authorization) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(call.uri()).timeout(settings.requestTimeout())
                .method(call.method(), call.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : SlicingBodyPublisher.of(call.body()));
        call.headers().forEach(request::header);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        counters.request();
        try {
            return TimedResponse.of(http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()), call.action(),
                    settings);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RecastException(ErrorKind.IO, "interrupted during " + call.action(), e);
        }
    }

    /** A GET that follows redirects itself, never sending the registry's Authorization to another host. */
    public HttpResponse<InputStream> getFollowingRedirects(RegistryCall call, Set<Integer> expected) {
        Set<Integer> expectedOrRedirect = union(expected, Set.of(301, 302, 303, 307, 308));
        HttpResponse<InputStream> response = send(call, expectedOrRedirect);
        for (int hop = 0; hop < 5 && isRedirect(response.statusCode()); hop++) {
            URI location = call.uri().resolve(response.headers().firstValue("Location").orElseThrow(() ->
                    new RecastException(ErrorKind.UPSTREAM, "registry " + registry + " redirected " + call.action()
                            + " without a Location")));
            drain(response);
            response = run(call.at(location), expectedOrRedirect);
        }
        if (!expected.contains(response.statusCode())) {
            throw failure(call, response);
        }
        return response;
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static boolean isRetryable(int status) {
        return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
    }

    private void backoff(RegistryCall call, int attempt, String retryAfter, String why) {
        counters.retried();
        long millis = retryAfterMillis(retryAfter).orElseGet(() -> {
            long base = settings.retryBase().toMillis() << Math.min(attempt - 1, 10);
            return (long) (base * (0.5 + ThreadLocalRandom.current().nextDouble()));
        });
        millis = Math.min(millis, 30_000);
        LOG.debugf("retrying %s on %s in %d ms (%s)", call.action(), registry, millis, why);
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RecastException(ErrorKind.IO, "interrupted while waiting to retry " + call.action(), e);
        }
    }

    static Optional<Long> retryAfterMillis(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Math.max(0, Long.parseLong(value.trim())) * 1000);
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime when = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                return Optional.of(Math.max(0, Duration.between(ZonedDateTime.now(), when).toMillis()));
            } catch (RuntimeException notDate) {
                return Optional.empty();
            }
        }
    }

    // --- authentication ---

    private String authorization(RegistryCall call) {
        Challenge known = challenge;
        if (known == null) {
            return null;
        }
        if (known.isBasic()) {
            return settings.credentials().lookup(registry).map(Credentials::basicHeader).orElse(null);
        }
        if (known.isBearer()) {
            return "Bearer " + token(known, scopesFor(call, known), call).value();
        }
        return null;
    }

    private void learnChallenge(RegistryCall call, String header) {
        List<Challenge> challenges = Challenge.parse(header);
        Challenge bearer = challenges.stream().filter(Challenge::isBearer).findFirst().orElse(null);
        Challenge basic = challenges.stream().filter(Challenge::isBasic).findFirst().orElse(null);
        if (bearer != null && bearer.parameter("realm") != null) {
            // a 401 with a token we hold means it was revoked or expired early: fetch a new one
            tokens.remove(scopeKey(scopesFor(call, bearer)));
            challenge = bearer;
        } else if (basic != null) {
            if (settings.credentials().lookup(registry).isEmpty()) {
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

    private Token token(Challenge bearer, List<String> scopes, RegistryCall call) {
        String key = scopeKey(scopes);
        Token cached = tokens.get(key);
        if (cached != null && !cached.isExpired()) {
            return cached;
        }
        Token fresh = fetchToken(bearer, scopes, call);
        tokens.put(key, fresh);
        return fresh;
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
            throw new RecastException(ErrorKind.UPSTREAM, "registry " + registry + " names an unusable token realm");
        }
        return realm;
    }

    /**
     * A token realm gets the registry's credentials over HTTPS; over plain HTTP only when it is the registry itself or
     * a host the operator listed as insecure (on the command line, loopback too).
     */
    private boolean mayReceiveCredentials(URI realm) {
        if (realm.getScheme().equals("https") || isOwnOrigin(realm)) {
            return true;
        }
        String host = realm.getHost().toLowerCase(Locale.ROOT);
        String authority = realm.getPort() >= 0 ? host + ":" + realm.getPort() : host;
        if (!settings.hostPolicy().isService()) {
            return settings.isPlainHttp(authority); // the command line trusts loopback as it does for registries
        }
        return settings.insecureHosts().contains(host) || settings.insecureHosts().contains(authority);
    }

    /** Whether a URL is on the registry's own origin (scheme, host and port), the only place credentials go. */
    private boolean isOwnOrigin(URI uri) {
        URI own = url("");
        return own.getScheme().equalsIgnoreCase(uri.getScheme()) && own.getHost().equalsIgnoreCase(uri.getHost())
                && port(own) == port(uri);
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    /** The registry, or the other host a call goes to, for errors. */
    private String describe(RegistryCall call) {
        return isOwnOrigin(call.uri()) ? "registry " + registry
                : "host " + call.uri().getHost() + " (named by registry " + registry + ")";
    }

    private static String scopeKey(List<String> scopes) {
        return String.join(" ", new TreeSet<>(scopes));
    }

    private Token fetchToken(Challenge bearer, List<String> scopes, RegistryCall call) {
        Optional<Credentials> credentials = settings.credentials().lookup(registry);
        String service = bearer.parameter("service");
        StringBuilder query = new StringBuilder();
        if (service != null) {
            query.append("service=").append(encode(service));
        }
        for (String scope : new TreeSet<>(scopes)) {
            query.append(query.isEmpty() ? "" : "&").append("scope=").append(encode(scope));
        }
        URI realm = realm(bearer);
        String what = "the token realm of registry " + registry + " (" + realm.getHost() + ")";
        settings.hostPolicy().checkConnection(realm, what);
        if (credentials.isPresent() && !mayReceiveCredentials(realm)) {
            LOG.debugf("not sending credentials for %s to the plain-HTTP token realm %s", registry, realm.getHost());
            credentials = Optional.empty();
        }
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
        request.timeout(settings.requestTimeout());
        try {
            counters.request();
            HttpResponse<InputStream> response = TimedResponse.of(http.send(request.build(),
                    HttpResponse.BodyHandlers.ofInputStream()), "the token request to " + realm.getHost(), settings);
            byte[] body;
            try (InputStream in = response.body()) {
                body = in.readNBytes(1 << 20);
            }
            if (response.statusCode() == 401 || response.statusCode() == 403) {
                boolean withheld = credentials.isEmpty() && settings.credentials().lookup(registry).isPresent();
                throw new RecastException(ErrorKind.UPSTREAM_AUTH, "the token service of registry " + registry + " ("
                        + realm.getHost() + ") refused " + (credentials.isPresent() ? "the configured credentials" : "anonymous access")
                        + " for " + String.join(" ", scopes) + " (" + response.statusCode() + ") while trying " + call.action()
                        + (withheld ? "; the credentials were not sent because the realm is plain HTTP and not listed in "
                        + "recast.registries.insecure" : ""));
            }
            if (response.statusCode() != 200) {
                throw new RecastException(ErrorKind.UPSTREAM, "the token service of registry " + registry + " answered "
                        + response.statusCode() + " while trying " + call.action());
            }
            JsonNode json = JSON.readTree(body);
            String token = json.path("token").asText(json.path("access_token").asText(""));
            if (token.isEmpty()) {
                throw new RecastException(ErrorKind.UPSTREAM, "the token service of registry " + registry
                        + " answered without a token");
            }
            long expiresIn = Math.max(json.path("expires_in").asLong(60), 10);
            return new Token(token, System.nanoTime() + Duration.ofSeconds(expiresIn).toNanos() * 9 / 10);
        } catch (IOException e) {
            throw new RecastException(ErrorKind.UPSTREAM, "the token service of registry " + registry + " ("
                    + realm.getHost() + ") could not be reached: " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RecastException(ErrorKind.IO, "interrupted while fetching a token", e);
        }
    }

    /** A bearer token; its value is a secret and is never logged. */
    private record Token(String value, long expiresAtNanos) {
        boolean isExpired() {
            return System.nanoTime() >= expiresAtNanos;
        }

        @Override
        public String toString() {
            return "Token[hidden]";
        }
    }

    // --- errors ---

    /** The error for an unexpected response: registry, what was attempted, status, and the registry's error code. */
    RecastException failure(RegistryCall call, HttpResponse<InputStream> response) {
        int status = response.statusCode();
        String detail = errorDetail(response);
        String message = "registry " + registry + " answered " + status + (detail.isEmpty() ? "" : " " + detail)
                + " to " + call.action();
        ErrorKind kind = switch (status) {
            case 401, 403 -> ErrorKind.UPSTREAM_AUTH;
            case 404 -> ErrorKind.NOT_FOUND;
            case 413 -> ErrorKind.TOO_LARGE;
            case 400 -> detail.contains("DIGEST_INVALID") || detail.contains("SIZE_INVALID")
                    ? ErrorKind.DIGEST_MISMATCH : ErrorKind.UPSTREAM;
            default -> ErrorKind.UPSTREAM;
        };
        return new RecastException(kind, message);
    }

    private static String errorDetail(HttpResponse<InputStream> response) {
        byte[] body;
        try (InputStream in = response.body()) {
            body = in.readNBytes(ERROR_BODY_LIMIT);
        } catch (IOException e) {
            return "";
        }
        try {
            JsonNode errors = JSON.readTree(body).path("errors");
            if (errors.isArray() && !errors.isEmpty()) {
                JsonNode first = errors.get(0);
                return first.path("code").asText("") + " (" + first.path("message").asText("") + ")";
            }
        } catch (IOException | RuntimeException ignored) {
            // not the registry's JSON error format: the status says enough
        }
        return "";
    }

    static void drain(HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
            in.skip(1 << 16);
        } catch (IOException ignored) {
            // the connection is dropped instead of reused
        }
    }

    /** Says what went wrong with a connection in words: unknown host, refused, timed out, or the JDK's own text. */
    static String describe(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return "unknown host" + (t.getMessage() == null ? "" : " (" + t.getMessage() + ")");
            }
        }
        if (e instanceof HttpConnectTimeoutException) {
            return "connection timed out";
        }
        if (e instanceof HttpTimeoutException) {
            return "timed out waiting for the answer";
        }
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        String name = e.getClass().getSimpleName();
        return e.getMessage() == null ? name : name + ": " + e.getMessage();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static Set<Integer> union(Set<Integer> a, Set<Integer> b) {
        Set<Integer> out = new java.util.HashSet<>(a);
        out.addAll(b);
        return out;
    }
}
