package dev.recast.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

/** Answers a request with a problem from in front of the REST layer (access checks, body limits), as the API does. */
final class ProblemResponse {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ProblemResponse() {
    }

    /**
     * @param close whether to close the connection after answering: when the client may still be sending a body
     *              nobody will read
     */
    static void send(RoutingContext context, Problem problem, boolean close) {
        String body;
        try {
            body = JSON.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        context.response().setStatusCode(problem.status()).putHeader("Content-Type", Problem.MEDIA_TYPE);
        // HTTP/2 has no Connection header, and its connection carries other requests' streams
        if (close && context.request().version() != HttpVersion.HTTP_2) {
            context.response().putHeader("Connection", "close");
            context.response().end(body).onComplete(done -> context.request().connection().close());
        } else {
            context.response().end(body);
        }
    }
}
