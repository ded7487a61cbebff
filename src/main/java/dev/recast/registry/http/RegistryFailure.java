package dev.recast.registry.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.RegistryError;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;

/**
 * Turns what went wrong on the wire into a {@link RecastException}: an unexpected answer becomes a classified
 * {@link RegistryError} (status and distribution-spec error code) with the kind it implies; a lost connection is
 * described in words.
 */
final class RegistryFailure {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ERROR_BODY_LIMIT = 16 << 10;

    private RegistryFailure() {
    }

    /** The error for an unexpected response: registry, what was attempted, status, and the registry's error code. */
    static RecastException of(RegistryOrigin origin, RegistryCall call, HttpResponse<InputStream> response) {
        RegistryError error = classify(response.statusCode(), errorBody(response));
        String detail = error.code() == RegistryError.Code.UNKNOWN && error.message().isEmpty() ? ""
                : " " + error.code() + " (" + error.message() + ")";
        return new RecastException(kindOf(error), origin.describe(call.uri()) + " answered " + error.status() + detail
                + " to " + call.action(), error);
    }

    /** Reads the first entry of a distribution-spec error body; any other body leaves the status to speak. */
    static RegistryError classify(int status, byte[] body) {
        try {
            JsonNode errors = JSON.readTree(body).path("errors");
            if (errors.isArray() && !errors.isEmpty()) {
                JsonNode first = errors.get(0);
                String written = first.path("code").asText("");
                RegistryError.Code code = RegistryError.Code.of(written);
                String message = first.path("message").asText("");
                // a code outside the spec is kept in the message, so the error still says what the registry said
                return new RegistryError(code, code == RegistryError.Code.UNKNOWN && !written.isEmpty()
                        ? (written + " " + message).trim() : message, status);
            }
        } catch (IOException | RuntimeException notJson) {
            // not the registry's JSON error format: the status says enough
        }
        return new RegistryError(RegistryError.Code.UNKNOWN, "", status);
    }

    /** The status decides first; a 4xx's code refines it (a digest the registry did not accept is a mismatch). */
    static ErrorKind kindOf(RegistryError error) {
        return switch (error.status()) {
            case 401, 403 -> ErrorKind.UPSTREAM_AUTH;
            case 404 -> ErrorKind.NOT_FOUND;
            case 413 -> ErrorKind.TOO_LARGE;
            default -> error.status() >= 500 ? ErrorKind.UPSTREAM : switch (error.code()) {
                case DIGEST_INVALID, SIZE_INVALID -> ErrorKind.DIGEST_MISMATCH;
                case UNAUTHORIZED, DENIED -> ErrorKind.UPSTREAM_AUTH;
                default -> ErrorKind.UPSTREAM;
            };
        };
    }

    private static byte[] errorBody(HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
            return in.readNBytes(ERROR_BODY_LIMIT);
        } catch (IOException e) {
            return new byte[0];
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

    /** Reads and drops a body so the connection can be reused. */
    static void drain(HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
            in.skip(1 << 16);
        } catch (IOException ignored) {
            // the connection is dropped instead of reused
        }
    }
}
