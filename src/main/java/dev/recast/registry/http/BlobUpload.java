package dev.recast.registry.http;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.model.Digest;
import dev.recast.registry.store.BlobWriter;
import dev.recast.stream.HashingOutputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A chunked blob upload: POST opens a session, each full chunk goes in a PATCH with {@code Content-Range}, the
 * last bytes and the digest (computed while writing) go in the closing PUT. Only one chunk is held in memory, and
 * because it is, a failed PATCH is resumed from the offset the registry reports instead of starting over.
 */
final class BlobUpload implements BlobWriter {
    private final RemoteRepository repository;
    private final RegistryEndpointCaller caller;
    private final List<String> scopes;
    private final byte[] chunk;
    private final HashingOutputStream hashing;
    private URI location;
    private long sent;
    private int filled;
    private boolean finished;

    BlobUpload(RemoteRepository repository, int chunkSize) {
        this.repository = repository;
        this.caller = repository.caller();
        this.scopes = repository.push();
        this.chunk = new byte[chunkSize];
        this.hashing = new HashingOutputStream(new ChunkSink());
    }

    /**
     * Opens the upload session ({@code POST /v2/<name>/blobs/uploads/}). Safe to retry: a session opened twice is
     * simply never used.
     */
    void open() {
        URI uri = repository.url("blobs/uploads/");
        HttpResponse<InputStream> response = caller.send(new RegistryCall("POST", uri,
                Map.of(), null, scopes, true, "start a blob upload to " + repository.repository()), Set.of(202));
        RegistryFailure.drain(response);
        location = location(repository, uri, response);
    }

    /** Where the registry says the session continues, resolved against the request that opened or moved it. */
    static URI location(RemoteRepository repository, URI request, HttpResponse<InputStream> response) {
        String header = response.headers().firstValue("Location").orElseThrow(() -> new RecastException(
                ErrorKind.UPSTREAM, "registry " + repository.caller().registry() + " opened an upload to "
                + repository.repository() + " without a Location"));
        return request.resolve(header);
    }

    @Override
    public OutputStream stream() {
        return hashing;
    }

    @Override
    public Written commit() {
        try {
            hashing.flush();
        } catch (IOException e) {
            throw new RecastException(ErrorKind.IO, "cannot finish upload to " + repository.repository() + ": " + e.getMessage(), e);
        }
        Digest digest = hashing.digest();
        URI put = withQuery(location, "digest=" + URLEncoder.encode(digest.toString(), StandardCharsets.UTF_8));
        byte[] last = Arrays.copyOf(chunk, filled);
        Map<String, String> headers = Map.of("Content-Type", "application/octet-stream");
        HttpResponse<InputStream> response = caller.send(new RegistryCall("PUT", put, headers, last, scopes,
                false, "finish upload of " + digest + " to " + repository.repository()), Set.of(201, 204));
        RegistryFailure.drain(response);
        caller.counters().uploaded(filled);
        caller.counters().blobUploaded();
        String stored = response.headers().firstValue("Docker-Content-Digest").orElse(digest.toString());
        if (!stored.equals(digest.toString())) {
            throw new RecastException(ErrorKind.DIGEST_MISMATCH, "registry " + caller.registry() + " stored "
                    + stored + " for an upload whose bytes hash to " + digest, null, digest.toString(), null);
        }
        finished = true;
        return new Written(digest, hashing.count(), false);
    }

    @Override
    public void close() {
        if (!finished && location != null) {
            finished = true;
            // an upload is most often abandoned because its conversion was stopped by an interrupt: the DELETE must
            // still go out, so the interrupt waits until it has
            boolean interrupted = Thread.interrupted();
            try {
                RegistryFailure.drain(caller.sendAllowing(new RegistryCall("DELETE", location, Map.of(), null, scopes,
                        false, "cancel upload to " + repository.repository()), Set.of(204), Set.of(400, 404, 405)));
            } catch (RecastException ignored) {
                // registries expire abandoned uploads themselves
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private void sendChunk() {
        int offset = 0;
        for (int attempt = 1; offset < filled; attempt++) {
            Map<String, String> headers = Map.of("Content-Type", "application/octet-stream",
                    "Content-Range", (sent + offset) + "-" + (sent + filled - 1));
            byte[] body = offset == 0 && filled == chunk.length ? chunk : Arrays.copyOfRange(chunk, offset, filled);
            try {
                HttpResponse<InputStream> response = caller.send(new RegistryCall("PATCH", location, headers, body,
                        scopes, false, "upload a chunk to " + repository.repository()), Set.of(202, 204));
                RegistryFailure.drain(response);
                location = location(repository, location, response);
                offset = filled;
            } catch (RecastException e) {
                if (!caller.retryRule().retries(attempt, e)) {
                    throw e;
                }
                caller.backoff("upload a chunk to " + repository.repository(), attempt, null, e.detail());
                offset = resumeOffset(e);
            }
        }
        caller.counters().uploaded(filled);
        sent += filled;
        filled = 0;
    }

    /**
     * Where to resend the current chunk from, by asking the registry how much of the upload it holds. A chunked upload
     * can only hold everything before this chunk or everything including it; any other answer, or a session the
     * registry no longer knows, means this upload cannot be resumed (the caller then transfers the layer again).
     */
    private int resumeOffset(RecastException failure) {
        HttpResponse<InputStream> response;
        try {
            response = caller.send(new RegistryCall("GET", location, Map.of(), null, scopes, true,
                    "check upload progress in " + repository.repository()), Set.of(204));
        } catch (RecastException lost) {
            throw new RecastException(ErrorKind.UPSTREAM, "the upload to " + repository.repository() + " cannot be resumed after: "
                    + failure.detail() + " (" + lost.detail() + ")", lost);
        }
        RegistryFailure.drain(response);
        response.headers().firstValue("Location").ifPresent(l -> location = location.resolve(l));
        long held = heldBytes(response.headers().firstValue("Range").orElse(""));
        if (held == sent || (sent == 0 && held == 1)) {
            // "0-0" is how registries answer for an empty upload as well as for a single byte: we never send one
            return 0;
        }
        if (held == sent + filled) {
            return filled;
        }
        throw new RecastException(ErrorKind.UPSTREAM, "the upload to " + repository.repository() + " cannot be resumed: the registry "
                + "holds " + held + " bytes where " + sent + " or " + (sent + filled) + " were expected", failure);
    }

    private static long heldBytes(String range) {
        int dash = range.lastIndexOf('-');
        try {
            return dash < 0 ? -1 : Long.parseLong(range.substring(dash + 1)) + 1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static URI withQuery(URI uri, String query) {
        String text = uri.toString();
        return URI.create(text + (uri.getRawQuery() == null ? "?" : "&") + query);
    }

    /** Fills the chunk buffer; a full buffer goes out as one PATCH. */
    private final class ChunkSink extends OutputStream {
        @Override
        public void write(int b) {
            write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] buffer, int offset, int length) {
            while (length > 0) {
                int n = Math.min(length, chunk.length - filled);
                System.arraycopy(buffer, offset, chunk, filled, n);
                filled += n;
                offset += n;
                length -= n;
                if (filled == chunk.length) {
                    sendChunk();
                }
            }
        }
    }
}
