package dev.recast.registry.http;

import dev.recast.stream.BlockInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A response body with a deadline: the JDK client's request timeout ends when the headers arrive, so a body that
 * stalls afterwards would block its reader forever. A watchdog closes the body when a read has waited {@code idle}
 * for bytes, or when the whole body took longer than {@code whole}; the blocked read then fails with an
 * {@link IOException} that says which limit was hit (a blob download resumes from there).
 */
final class TimedBody extends BlockInputStream {
    private static final ScheduledThreadPoolExecutor WATCHDOG = new ScheduledThreadPoolExecutor(1,
            Thread.ofPlatform().name("recast-body-watchdog").daemon().factory());

    static {
        // bodies are closed long before their checks are due: drop those checks at once, not when due
        WATCHDOG.setRemoveOnCancelPolicy(true);
    }

    private final InputStream body;
    private final String what;
    private final long idleNanos;
    private final long deadlineNanos;
    private final ScheduledFuture<?> check;
    /** When the read now blocked began, or 0: time the reader spends elsewhere (uploading, say) is not silence. */
    private volatile long waitingSince;
    private volatile String expired;

    /** @param whole the longest the whole body may take, or null for no such limit */
    TimedBody(InputStream body, String what, Duration idle, Duration whole) {
        this.body = body;
        this.what = what;
        this.idleNanos = idle.toNanos();
        this.deadlineNanos = whole == null ? Long.MAX_VALUE : System.nanoTime() + whole.toNanos();
        long period = Math.clamp(idle.toMillis() / 4, 50, 1000);
        this.check = WATCHDOG.scheduleAtFixedRate(this::check, period, period, TimeUnit.MILLISECONDS);
    }

    private void check() {
        long now = System.nanoTime();
        long since = waitingSince;
        if (since != 0 && now - since > idleNanos) {
            expire("no bytes for " + Duration.ofNanos(idleNanos).toMillis() + " ms");
        } else if (now > deadlineNanos) {
            expire("the body took longer than its deadline");
        }
    }

    private void expire(String why) {
        expired = why;
        check.cancel(false);
        try {
            body.close();
        } catch (IOException ignored) {
            // closing is how the blocked reader is released; its read fails either way
        }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        failIfExpired(null);
        waitingSince = System.nanoTime();
        try {
            int n = body.read(buffer, offset, length);
            if (n < 0) {
                check.cancel(false);
            }
            return n;
        } catch (IOException e) {
            failIfExpired(e);
            throw e;
        } finally {
            waitingSince = 0;
        }
    }

    private void failIfExpired(IOException cause) throws IOException {
        String why = expired;
        if (why != null) {
            throw new IOException(what + ": response body timed out (" + why + ")", cause);
        }
    }

    @Override
    public int available() throws IOException {
        return body.available();
    }

    @Override
    public void close() throws IOException {
        check.cancel(false);
        body.close();
    }
}
