package dev.recast.registry.store;

import dev.recast.ErrorKind;
import dev.recast.RecastException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * Runs independent registry calls at once, at most {@value #AT_ONCE} at a time, each on a virtual thread, and returns
 * their results in order once all have ended: small requests whose round trips would otherwise add up. The first
 * failure (in order) is thrown as it was thrown in its call, with the later ones suppressed in it; every call has
 * ended by then, so nothing outlives this one.
 */
public final class SideBySide {
    /** A bound on the connections one run opens at once (an index of many images attaches a provenance to each). */
    static final int AT_ONCE = 8;

    private SideBySide() {
    }

    public static <T> List<T> all(List<Supplier<T>> calls) {
        if (calls.size() <= 1) {
            return calls.stream().map(Supplier::get).toList();
        }
        Semaphore slots = new Semaphore(AT_ONCE);
        List<Future<T>> running = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Supplier<T> call : calls) {
                running.add(threads.submit(() -> {
                    slots.acquire();
                    try {
                        return call.get();
                    } finally {
                        slots.release();
                    }
                }));
            }
            List<T> results = new ArrayList<>();
            RuntimeException failed = null;
            for (Future<T> result : running) {
                try {
                    results.add(result(result));
                } catch (RuntimeException e) {
                    if (failed == null) {
                        failed = e;
                    } else if (failed != e) {
                        failed.addSuppressed(e);
                    }
                }
            }
            if (failed != null) {
                throw failed;
            }
            return results;
        }
    }

    private static <T> T result(Future<T> running) {
        try {
            return running.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new RecastException(ErrorKind.IO, "a registry call failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RecastException(ErrorKind.IO, "interrupted while waiting for registry calls", e);
        }
    }
}
