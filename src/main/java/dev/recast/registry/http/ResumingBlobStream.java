package dev.recast.registry.http;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.registry.store.RegistryConnectionException;
import dev.recast.stream.BlockInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.function.LongFunction;

/**
 * A blob download that survives dropped connections: when a read fails it asks again from the byte it got to
 * ({@code Range: bytes=N-}); a registry that ignores ranges is read again from the start, skipping what was read.
 * How often and how soon is the {@link RetryRule}'s: every read of the blob, the first included, is one attempt.
 */
final class ResumingBlobStream extends BlockInputStream {
    private final LongFunction<HttpResponse<InputStream>> reopen;
    private final RetryRule rule;
    private final String what;
    private final TransferCounters counters;
    private InputStream current;
    private long position;
    private int resumes;

    /** @param reopen opens the blob from an offset (0 = whole blob) */
    ResumingBlobStream(HttpResponse<InputStream> first, LongFunction<HttpResponse<InputStream>> reopen,
                       RetryRule rule, String what, TransferCounters counters) {
        this.current = first.body();
        this.reopen = reopen;
        this.rule = rule;
        this.what = what;
        this.counters = counters;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        while (true) {
            try {
                int n = current.read(buffer, offset, length);
                if (n > 0) {
                    position += n;
                    counters.downloaded(n);
                }
                return n;
            } catch (IOException e) {
                if (!rule.allowsAnother(resumes + 1)) {
                    throw new RegistryConnectionException(what + ": connection lost at byte " + position + " after " + resumes
                            + " resume(s): " + e.getMessage(), e);
                }
                resumes++;
                counters.retried();
                closeQuietly();
                rule.pause(rule.delayMillis(resumes, null), what);
                current = resumeAt(position);
            }
        }
    }

    private InputStream resumeAt(long offset) throws IOException {
        HttpResponse<InputStream> response = reopen.apply(offset);
        if (response.statusCode() == 206) {
            String range = response.headers().firstValue("Content-Range").orElse("");
            if (!range.startsWith("bytes " + offset + "-")) {
                RegistryFailure.drain(response);
                throw new RecastException(ErrorKind.UPSTREAM, what + ": asked to resume at " + offset
                        + " but got range '" + range + "'");
            }
            return response.body();
        }
        InputStream whole = response.body();
        whole.skipNBytes(offset);
        return whole;
    }

    @Override
    public void close() {
        closeQuietly();
    }

    private void closeQuietly() {
        try {
            current.close();
        } catch (IOException ignored) {
            // the connection is discarded either way
        }
    }
}
