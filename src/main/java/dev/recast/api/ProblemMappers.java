package dev.recast.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.recast.ErrorKind;
import dev.recast.RecastException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Locale;

/** Every error the API returns is an {@code application/problem+json} body with a status that says what happened. */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    private final int retryAfterSeconds;

    public ProblemMappers(dev.recast.service.RecastConfig config) {
        this.retryAfterSeconds = config.api().retryAfterSeconds();
    }

    /** The HTTP status for each kind of failure. */
    public static int status(ErrorKind kind) {
        return switch (kind) {
            case BAD_REQUEST -> 400;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case TOO_LARGE -> 413;
            case DIGEST_MISMATCH, INVALID_IMAGE, UNSUPPORTED -> 422;
            case BUSY -> 429;
            case UPSTREAM_AUTH, UPSTREAM -> 502;
            case IO -> 500;
        };
    }

    public static Problem problem(RecastException e) {
        int status = status(e.kind());
        String title = switch (e.kind()) {
            case UPSTREAM_AUTH -> "The registry refused Recast's credentials";
            case UPSTREAM -> "The registry failed";
            case DIGEST_MISMATCH -> "Content does not match its digest";
            case INVALID_IMAGE -> "Invalid image";
            case UNSUPPORTED -> "Unsupported image";
            case BUSY -> "Too many conversions at once";
            case FORBIDDEN -> "Refused by the service's policy";
            default -> Response.Status.fromStatusCode(status).getReasonPhrase();
        };
        return new Problem("urn:recast:problem:" + e.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'), title,
                status, e.detail(), e.image(), e.layer());
    }

    @ServerExceptionMapper
    public Response recast(RecastException e) {
        Problem problem = problem(e);
        if (problem.status() >= 500 && e.kind() == ErrorKind.IO) {
            LOG.error("request failed", e);
        }
        Response.ResponseBuilder response = Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
        if (e.kind() == ErrorKind.BUSY) {
            response.header("Retry-After", retryAfterSeconds);
        }
        return response.build();
    }

    @ServerExceptionMapper
    public Response badJson(JsonProcessingException e) {
        return Response.status(400).type(Problem.MEDIA_TYPE).entity(new Problem("urn:recast:problem:bad-request",
                "Bad Request", 400, "the request body is not valid JSON for this endpoint: " + e.getOriginalMessage(),
                null, null)).build();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(new Problem("urn:recast:problem:http-" + status,
                Response.Status.fromStatusCode(status) == null ? "HTTP " + status
                        : Response.Status.fromStatusCode(status).getReasonPhrase(), status, e.getMessage(), null, null)).build();
    }
}
