package dev.recast.convert;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.model.Descriptor;
import dev.recast.model.Digest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Runs a run's layers on the shared layer pool, each distinct layer once however many images of a list share it.
 * The first layer that fails stops the run through its {@link Cancellation}: the other layers are interrupted, queued
 * ones never start, and the failure is reported once their workers have left.
 */
final class LayerScheduler {
    /** How long a stopped run waits for its layer workers to leave (an upload they abandon is deleted first). */
    private static final Duration WORKERS_LEAVE = Duration.ofSeconds(10);

    private final ConversionRun run;
    private final ExecutorService pool;
    private final LayerConverter converter;
    private final Map<Digest, Future<LayerOutcome>> layers = new ConcurrentHashMap<>();

    LayerScheduler(ConversionRun run, ExecutorService pool, LayerConverter converter) {
        this.run = run;
        this.pool = pool;
        this.converter = converter;
    }

    /** Starts the layers (the i-th with the i-th diff_id) and returns their results, in order, once all are done. */
    Pending start(List<Descriptor> imageLayers, List<Digest> diffIds) {
        List<Future<LayerOutcome>> pending = new ArrayList<>();
        for (int i = 0; i < imageLayers.size(); i++) {
            Descriptor layer = imageLayers.get(i);
            Digest diffId = diffIds.get(i);
            pending.add(layers.computeIfAbsent(layer.digest(), d -> pool.submit(() -> {
                try (Cancellation.Work ignored = run.cancellation().enter()) {
                    run.cancellation().check();
                    return converter.convert(layer, diffId);
                }
            })));
        }
        return new Pending(pending);
    }

    /** Layers started for one image; {@link #await()} waits for them all. */
    final class Pending {
        private final List<Future<LayerOutcome>> futures;

        private Pending(List<Future<LayerOutcome>> futures) {
            this.futures = futures;
        }

        List<LayerOutcome> await() {
            List<LayerOutcome> out = new ArrayList<>();
            try {
                for (Future<LayerOutcome> future : futures) {
                    out.add(future.get());
                }
                return out;
            } catch (ExecutionException e) {
                throw stop(asRecast(e.getCause()));
            } catch (CancellationException e) {
                throw stop(new RecastException(ErrorKind.IO, "layer conversion cancelled", run.imageName(), null, e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw stop(new RecastException(ErrorKind.IO, "conversion interrupted", run.imageName(), null, e));
            }
        }

        /** The image failed while its layers ran (e.g. its config could not be copied): they stop too. */
        RuntimeException failed(RuntimeException failure) {
            return stop(asRecast(failure));
        }
    }

    /** Stops the run for {@code failure} and returns what to report: the first reason the run was stopped for. */
    private RuntimeException stop(RecastException failure) {
        run.cancellation().cancel(failure);
        layers.values().forEach(future -> future.cancel(false));
        run.cancellation().awaitOthers(WORKERS_LEAVE);
        return run.cancellation().explain(failure);
    }

    private RecastException asRecast(Throwable cause) {
        if (cause instanceof RecastException recast) {
            return recast.in(run.imageName(), null);
        }
        return new RecastException(ErrorKind.IO, "layer conversion failed: " + cause, run.imageName(), null, cause);
    }
}
