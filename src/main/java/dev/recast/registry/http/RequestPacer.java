package dev.recast.registry.http;

import dev.recast.ErrorKind;
import dev.recast.RecastException;

import java.util.concurrent.TimeUnit;

/**
 * Keeps the requests to one registry at or under a rate, however many threads send them: each request takes the next
 * free slot, slots {@code 1/rate} apart, so no second ever sees more than {@code rate + 1} requests. Registries with
 * per-account limits (Docker Hub, ECR) count requests, not bytes; a 429 they send anyway is the {@link RetryRule}'s.
 */
final class RequestPacer {
    static final RequestPacer UNLIMITED = new RequestPacer(0);

    private final long intervalNanos;
    private long nextSlot = Long.MIN_VALUE;

    private RequestPacer(long intervalNanos) {
        this.intervalNanos = intervalNanos;
    }

    /** A pacer for {@code perSecond} (not negative) requests a second; 0 means no limit. */
    static RequestPacer of(double perSecond) {
        return perSecond == 0 ? UNLIMITED : new RequestPacer(Math.max(1, (long) (TimeUnit.SECONDS.toNanos(1) / perSecond)));
    }

    /** Waits for this request's slot; an interrupt ends the wait and the request. */
    void await(String action) {
        if (intervalNanos == 0) {
            return;
        }
        long wait;
        synchronized (this) {
            long now = System.nanoTime();
            long slot = nextSlot == Long.MIN_VALUE || now - nextSlot > 0 ? now : nextSlot;
            nextSlot = slot + intervalNanos;
            wait = slot - now;
        }
        if (wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RecastException(ErrorKind.IO, "interrupted while waiting for the request rate before " + action, e);
            }
        }
    }
}
