package dev.recast.api;

import dev.recast.service.RecastConfig;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who may use the service, checked in front of every route (the REST API, OpenAPI, Swagger UI, metrics):
 * <ul>
 * <li>with {@code recast.api.token}, every path needs {@code Authorization: Bearer <token>} (compared in constant
 * time) except webhooks, which carry their own secrets, and health checks;</li>
 * <li>without one the service does not start, unless {@code recast.api.anonymous}: it then listens on loopback only
 * ({@link AnonymousBinding}) and answers only requests whose {@code Host} names loopback, so that a web page cannot
 * reach it through DNS rebinding, and none that a web page sends (cross-site {@code Origin} or {@code Sec-Fetch-Site},
 * a POST that is not JSON, which a page could send without a CORS preflight);</li>
 * <li>a request body must arrive within {@code recast.api.body-timeout}, so that a trickling client cannot hold a
 * connection.</li>
 * </ul>
 */
@Singleton
public class ApiAccessFilter {
    private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");
    private static final Pattern LOOPBACK_ORIGIN = Pattern.compile("https?://(localhost|127\\.0\\.0\\.1|\\[::1])(:\\d+)?");
    private final Optional<byte[]> expected;
    private final boolean anonymous;
    private final long bodyTimeoutMillis;

    public ApiAccessFilter(RecastConfig config) {
        this.expected = config.api().token().filter(t -> !t.isBlank())
                .map(t -> ("Bearer " + t).getBytes(StandardCharsets.UTF_8));
        this.anonymous = config.api().anonymous();
        this.bodyTimeoutMillis = config.api().bodyTimeout().toMillis();
    }

    void refuseToStartOpen(@Observes StartupEvent event) {
        if (expected.isEmpty() && !anonymous) {
            throw new IllegalStateException("recast serve needs an API token: set recast.api.token (RECAST_API_TOKEN), "
                    + "or recast.api.anonymous=true (RECAST_API_ANONYMOUS) to serve without one on 127.0.0.1 only");
        }
    }

    void register(@Observes Filters filters) {
        filters.register(this::filter, 1000);
    }

    private void filter(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (anonymous && expected.isEmpty() && !fromLoopback(request)) {
            refuse(context, 403, "forbidden", "Forbidden", "this service runs without a token (recast.api.anonymous) "
                    + "and answers only loopback requests whose Host is localhost, 127.0.0.1 or [::1]", false);
            return;
        }
        if (anonymous && expected.isEmpty() && fromAWebPage(request)) {
            // a page the operator visits can send simple (no preflight) requests to loopback: only JSON from no page
            refuse(context, 403, "forbidden", "Forbidden", "this service runs without a token (recast.api.anonymous) "
                    + "and refuses requests a web page sends: cross-site Origin or Sec-Fetch-Site, or a POST that is "
                    + "not application/json", false);
            return;
        }
        if (expected.isPresent() && needsToken(context.normalizedPath()) && !tokenMatches(request)) {
            context.response().putHeader("WWW-Authenticate", "Bearer realm=\"recast\"");
            refuse(context, 401, "unauthorized", "Unauthorized", "this API needs Authorization: Bearer <recast.api.token>",
                    false);
            return;
        }
        if (!request.isEnded()) {
            long timer = context.vertx().setTimer(bodyTimeoutMillis, id -> {
                if (!request.isEnded() && !context.response().headWritten()) {
                    refuse(context, 408, "request-timeout", "Request Timeout", "the request body did not arrive within "
                            + bodyTimeoutMillis + " ms (recast.api.body-timeout)", true);
                }
            });
            context.addEndHandler(done -> context.vertx().cancelTimer(timer));
        }
        context.next();
    }

    /** Webhooks have their own secrets and health checks must stay open to probes; everything else needs the token. */
    private static boolean needsToken(String path) {
        return !(path.startsWith("/v1/webhooks/") || path.equals("/q/health") || path.startsWith("/q/health/"));
    }

    private boolean tokenMatches(HttpServerRequest request) {
        String given = request.getHeader("Authorization");
        return given != null && MessageDigest.isEqual(expected.orElseThrow(), given.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean fromAWebPage(HttpServerRequest request) {
        String origin = request.getHeader("Origin");
        String site = request.getHeader("Sec-Fetch-Site");
        String type = request.getHeader("Content-Type");
        boolean crossOrigin = origin != null && !LOOPBACK_ORIGIN.matcher(origin).matches();
        boolean crossSite = site != null && !site.equals("same-origin") && !site.equals("none");
        boolean simplePost = request.method() == HttpMethod.POST && !request.path().startsWith("/v1/webhooks/")
                && (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json"));
        return crossOrigin || crossSite || simplePost;
    }

    private static boolean fromLoopback(HttpServerRequest request) {
        // the Host header, or HTTP/2's :authority (a client may upgrade a plain-HTTP connection to h2c)
        HostAndPort authority = request.authority();
        if (authority == null || request.remoteAddress() == null || request.remoteAddress().hostAddress() == null) {
            return false;
        }
        String host = authority.host();
        String name = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        String remote = request.remoteAddress().hostAddress();
        boolean loopbackPeer = remote.startsWith("127.") || remote.equals("0:0:0:0:0:0:0:1") || remote.equals("::1");
        return loopbackPeer && LOOPBACK_HOSTS.contains(name.toLowerCase(Locale.ROOT));
    }

    private static void refuse(RoutingContext context, int status, String type, String title, String detail, boolean close) {
        ProblemResponse.send(context, new Problem("urn:recast:problem:" + type, title, status, detail, null, null), close);
    }
}
