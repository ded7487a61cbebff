package dev.recast.registry.http;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.Set;

/**
 * Runs every request to one registry host: checks the host policy, authenticates (through a
 * {@link RegistryAuthenticator}, on the registry's own origin only), retries by the {@link RetryRule}, and turns an
 * unexpected answer into a classified error ({@link RegistryFailure}). Protocol steps ({@link ManifestPuller},
 * {@link BlobUpload}, …) describe calls; this class runs them.
 */
public final class RegistryEndpointCaller {
    private static final Logger LOG = Logger.getLogger(RegistryEndpointCaller.class);
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

    private final RegistryOrigin origin;
    private final RegistrySettings settings;
    private final HttpClient http;
    private final TransferCounters counters;
    private final RetryRule retryRule;
    private final RegistryAuthenticator authenticator;
    private final RequestPacer pacer;

    public RegistryEndpointCaller(String registry, RegistrySettings settings, HttpClient http, TransferCounters counters) {
        this.origin = RegistryOrigin.of(registry, settings);
        this.settings = settings;
        this.http = http;
        this.counters = counters;
        this.retryRule = RetryRule.of(settings);
        this.pacer = RequestPacer.of(settings.requestRate());
        this.authenticator = new RegistryAuthenticator(origin, settings.credentials(),
                new TokenEndpoint(origin, settings, http, counters));
    }

    /** The registry's own origin, the only one credentials and followed pages go to. */
    RegistryOrigin origin() {
        return origin;
    }

    public String registry() {
        return origin.registry();
    }

    public RegistrySettings settings() {
        return settings;
    }

    RetryRule retryRule() {
        return retryRule;
    }

    TransferCounters counters() {
        return counters;
    }

    /** {@code http(s)://registry/v2/} + path. */
    public URI url(String path) {
        return origin.url(path);
    }

    /**
     * Sends a call and returns the response when its status is one of {@code expected}; the caller closes the body.
     * Any other status becomes a {@link RecastException}.
     */
    public HttpResponse<InputStream> send(RegistryCall call, Set<Integer> expected) {
        return run(call, expected);
    }

    /** As {@link #send}, but statuses in {@code passThrough} are returned too (e.g. 404 for "not there"). */
    public HttpResponse<InputStream> sendAllowing(RegistryCall call, Set<Integer> expected, Set<Integer> passThrough) {
        return run(call, union(expected, passThrough));
    }

    /** A GET that follows redirects itself, never sending the registry's Authorization to another host. */
    public HttpResponse<InputStream> getFollowingRedirects(RegistryCall call, Set<Integer> expected) {
        Set<Integer> expectedOrRedirect = union(expected, REDIRECTS);
        HttpResponse<InputStream> response = run(call, expectedOrRedirect);
        for (int hop = 0; hop < 5 && REDIRECTS.contains(response.statusCode()); hop++) {
            URI location = call.uri().resolve(response.headers().firstValue("Location").orElseThrow(() ->
                    new RecastException(ErrorKind.UPSTREAM, "registry " + registry() + " redirected " + call.action()
                            + " without a Location")));
            RegistryFailure.drain(response);
            response = run(call.at(location), expectedOrRedirect);
        }
        if (!expected.contains(response.statusCode())) {
            throw RegistryFailure.of(origin, call, response);
        }
        return response;
    }

    /**
     * Sends a call until it gets an accepted status: retrying what the {@link RetryRule} allows and, on the registry's
     * own origin, answering one 401 with fresh credentials. Credentials and tokens go to the registry's own origin
     * only: never to a host it redirects to or names as the place for an upload.
     */
    private HttpResponse<InputStream> run(RegistryCall call, Set<Integer> accepted) {
        boolean authenticate = origin.isOwn(call.uri());
        int attempts = retryRule.attemptsFor(call);
        boolean reauthenticated = false;
        for (int attempt = 1; ; attempt++) {
            // each attempt: a retry may come after the JDK's DNS cache let the name resolve anew
            settings.hostPolicy().checkConnection(call.uri(), origin.describe(call.uri()));
            HttpResponse<InputStream> response;
            try {
                response = exchange(call, authenticate ? authenticator.authorization(call) : null);
            } catch (IOException e) {
                if (attempt < attempts) {
                    backoff(call.action(), attempt, null, e.toString());
                    continue;
                }
                throw new RecastException(ErrorKind.UPSTREAM, origin.describe(call.uri()) + " could not be reached for "
                        + call.action() + " after " + attempt + " attempt(s): " + RegistryFailure.describe(e), e);
            }
            int status = response.statusCode();
            if (accepted.contains(status)) {
                return response;
            }
            if (status == 401 && !authenticate) {
                RegistryFailure.drain(response);
                throw new RecastException(ErrorKind.UPSTREAM_AUTH, origin.describe(call.uri()) + " asked for credentials; "
                        + "Recast sends registry " + registry() + "'s credentials to the registry's own origin only");
            }
            if (status == 401 && !reauthenticated) {
                String header = response.headers().firstValue("WWW-Authenticate").orElse(null);
                RegistryFailure.drain(response);
                reauthenticated = true;
                authenticator.learn(call, header);
                attempt--;
                continue;
            }
            if (RetryRule.isRetryable(status) && attempt < attempts) {
                String retryAfter = response.headers().firstValue("Retry-After").orElse(null);
                RegistryFailure.drain(response);
                backoff(call.action(), attempt, retryAfter, "HTTP " + status);
                continue;
            }
            throw RegistryFailure.of(origin, call, response);
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
        pacer.await(call.action());
        counters.request();
        try {
            return TimedResponse.of(http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()), call.action(),
                    settings);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RecastException(ErrorKind.IO, "interrupted during " + call.action(), e);
        }
    }

    /** Counts a retry and waits as long as the {@link RetryRule} says before try {@code attempt + 1}. */
    void backoff(String action, int attempt, String retryAfter, String why) {
        counters.retried();
        long millis = retryRule.delayMillis(attempt, retryAfter);
        LOG.debugf("retrying %s on %s in %d ms (%s)", action, registry(), millis, why);
        retryRule.pause(millis, action);
    }

    private static Set<Integer> union(Set<Integer> a, Set<Integer> b) {
        Set<Integer> out = new HashSet<>(a);
        out.addAll(b);
        return out;
    }
}
