package dev.recast.api;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Reads request bodies up to {@code quarkus.http.limits.max-body-size} before the REST layer sees them, so that a body
 * over the limit — declared by {@code Content-Length} or found while reading a chunked one — is a 413 problem like
 * every other error, not Vert.x's empty 413 (over HTTP/2 see {@link #read}). Runs after {@link ApiAccessFilter}: a caller without the token is
 * refused before its body is read.
 */
@Singleton
public class RequestBodyLimit {
    /** Below the access filter's priority (it runs first), above Quarkus's own size check (route order -2). */
    private static final int PRIORITY = 900;
    private final long limit;
    private final BodyHandler bodies;

    public RequestBodyLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize limit) {
        this.limit = limit.asLongValue();
        this.bodies = BodyHandler.create(false).setBodyLimit(this.limit).setMergeFormAttributes(false);
    }

    void register(@Observes Filters filters) {
        filters.register(this::read, PRIORITY);
    }

    /**
     * Over HTTP/2 the REST layer cannot take a request whose body was read before it (it pauses the ended stream), so
     * there only a declared length is checked here; a longer HTTP/2 body without one meets Quarkus's own limit.
     */
    private void read(RoutingContext context) {
        if (context.request().version() != HttpVersion.HTTP_2) {
            bodies.handle(context);
        } else if (declaredLength(context) > limit) {
            context.fail(413);
        } else {
            context.next();
        }
    }

    private static long declaredLength(RoutingContext context) {
        String length = context.request().getHeader("Content-Length");
        try {
            return length == null ? -1 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    void answerFailures(@Observes Router router) {
        router.route().order(-PRIORITY).failureHandler(this::failed);
    }

    private void failed(RoutingContext context) {
        if (context.statusCode() == 413 && !context.response().headWritten()) {
            ProblemResponse.send(context, new Problem("urn:recast:problem:too-large", "Content Too Large", 413,
                    "the request body is over " + limit + " bytes (quarkus.http.limits.max-body-size)", null, null), true);
        } else {
            context.next();
        }
    }
}
