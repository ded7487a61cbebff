package dev.recast.registry;

import dev.recast.ErrorKind;
import dev.recast.RecastException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Runs independent registry calls at once, each on a virtual thread, and returns their results in order once all have
 * ended: small requests whose round trips would otherwise add up. The first failure (in order) is thrown as it was
 * thrown in its call; the others still end first, so nothing outlives the call.
 */
public final class SideBySide {
    private SideBySide() {
    }

    public static <T> List<T> all(List<Supplier<T>> calls) {
        if (calls.size() == 1) {
            return List.of(calls.getFirst().get());
        }
        List<Future<T>> running = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            calls.forEach(call -> running.add(threads.submit(call::get)));
            List<T> results = new ArrayList<>();
            for (Future<T> result : running) {
                results.add(result(result));
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
