package dev.recast.api;

import dev.recast.service.RecastConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/** When {@code recast.api.token} is set, every /v1/ call except webhooks (which carry their own secrets) needs it. */
public class ApiTokenFilter {
    private static final Logger LOG = Logger.getLogger(ApiTokenFilter.class);
    private final Optional<byte[]> expected;

    public ApiTokenFilter(RecastConfig config) {
        this.expected = config.api().token().filter(t -> !t.isBlank())
                .map(t -> ("Bearer " + t).getBytes(StandardCharsets.UTF_8));
    }

    void warnWhenOpen(@Observes StartupEvent event) {
        if (expected.isEmpty()) {
            LOG.warn("recast.api.token (RECAST_API_TOKEN) is not set: the /v1/ API is open to anyone who can reach it");
        }
    }

    @ServerRequestFilter
    public Optional<Response> requireToken(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (expected.isEmpty() || !path.startsWith("/v1/") || path.startsWith("/v1/webhooks/")) {
            return Optional.empty();
        }
        String given = request.getHeaderString("Authorization");
        if (given != null && MessageDigest.isEqual(expected.get(), given.getBytes(StandardCharsets.UTF_8))) {
            return Optional.empty();
        }
        return Optional.of(Response.status(401).type(Problem.MEDIA_TYPE).header("WWW-Authenticate", "Bearer realm=\"recast\"")
                .entity(new Problem("urn:recast:problem:unauthorized", "Unauthorized", 401,
                        "this API needs Authorization: Bearer <recast.api.token>", null, null)).build());
    }
}
