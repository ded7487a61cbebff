package dev.recast.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.recast.ErrorKind;
import dev.recast.RecastException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
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
            default -> reason(status);
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
    public Response mismatched(MismatchedInputException e) {
        return badRequest(RequestBodyErrors.explain(e));
    }

    @ServerExceptionMapper
    public Response badJson(JsonProcessingException e) {
        return badRequest(RequestBodyErrors.explain(e));
    }

    /** JAX-RS's own refusals (no such path, method or media type; a body Jackson could not read), as problems. */
    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri, Request request, HttpHeaders headers) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return badJson(json);
        }
        int status = e.getResponse().getStatus();
        String at = request.getMethod() + " /" + uri.getPath().replaceFirst("^/", "");
        String detail = switch (status) {
            case 404 -> "there is nothing at " + at;
            case 405 -> at + " is not allowed: this path takes other methods";
            case 406 -> at + " cannot answer in " + headers.getHeaderString(HttpHeaders.ACCEPT);
            case 415 -> at + " does not take " + (headers.getMediaType() == null ? "a body without Content-Type"
                    : headers.getMediaType().toString()) + "; send application/json";
            default -> e.getMessage();
        };
        String type = switch (status) {
            case 400 -> "bad-request";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 415 -> "unsupported-media-type";
            default -> "http-" + status;
        };
        Response.ResponseBuilder response = Response.status(status).type(Problem.MEDIA_TYPE)
                .entity(new Problem("urn:recast:problem:" + type, reason(status), status, detail, null, null));
        return response.build();
    }

    private static Response badRequest(String detail) {
        return Response.status(400).type(Problem.MEDIA_TYPE).entity(new Problem("urn:recast:problem:bad-request",
                "Bad Request", 400, detail, null, null)).build();
    }

    private static String reason(int status) {
        Response.Status known = Response.Status.fromStatusCode(status);
        return known == null ? "HTTP " + status : known.getReasonPhrase();
    }
}
