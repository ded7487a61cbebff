package dev.recast.api;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Reads request bodies up to {@code quarkus.http.limits.max-body-size} before the REST layer sees them, so that a body
 * over the limit — declared by {@code Content-Length} or found while reading a chunked one — is a 413 problem like
 * every other error, not Vert.x's empty 413. Runs after {@link ApiAccessFilter}: a caller without the token is
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

    /** Clients that wait for {@code 100 Continue} get it here, where the body starts to be read. */
    private void read(RoutingContext context) {
        HttpServerRequest request = context.request();
        if ("100-continue".equalsIgnoreCase(request.getHeader("Expect")) && !request.isEnded()
                && !context.response().headWritten() && declaredLength(request) <= limit) {
            context.response().writeContinue();
        }
        bodies.handle(context);
    }

    private static long declaredLength(HttpServerRequest request) {
        try {
            String length = request.getHeader("Content-Length");
            return length == null ? 0 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return 0;
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
