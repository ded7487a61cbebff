package dev.recast.cli;

import dev.recast.convert.LayerAction;
import dev.recast.model.Descriptor;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Progress as plain lines for logs: one when a layer starts, one when it ends, and one every 2 s at most per layer
 * in between. Each line starts with what happened, then the layer's digest, so it greps well.
 */
final class PlainProgress implements ProgressDisplay {
    private static final long EVERY_NANOS = 2_000_000_000L;

    private final PrintStream err;
    private final LongSupplier clock;
    private final Map<String, LayerState> layers = new HashMap<>();
    private final Map<String, Long> lastPrinted = new HashMap<>();

    PlainProgress(PrintStream err, LongSupplier clock) {
        this.err = err;
        this.clock = clock;
    }

    @Override
    public synchronized void layerStarted(String image, Descriptor layer) {
        long now = clock.getAsLong();
        String key = LayerState.key(image, layer);
        LayerState state = new LayerState(layer, now);
        layers.put(key, state);
        lastPrinted.put(key, now);
        err.println("started   " + state.shortDigest() + "  " + LayerState.size(layer.size()) + "  " + image);
    }

    @Override
    public synchronized void layerProgress(String image, Descriptor layer, long bytesRead, long bytesWritten) {
        String key = LayerState.key(image, layer);
        LayerState state = layers.get(key);
        if (state == null) {
            return;
        }
        state.update(bytesRead, bytesWritten);
        long now = clock.getAsLong();
        if (now - lastPrinted.get(key) >= EVERY_NANOS) {
            lastPrinted.put(key, now);
            err.println("progress  " + state.live(now));
        }
    }

    @Override
    public synchronized void layerFinished(String image, Descriptor layer, LayerAction action, Descriptor result,
                                           long millis) {
        String key = LayerState.key(image, layer);
        LayerState state = layers.remove(key);
        lastPrinted.remove(key);
        if (state != null) {
            err.println("finished  " + state.finished(action, result, millis));
        }
    }

    @Override
    public synchronized void close() {
        layers.values().forEach(state -> err.println("stopped   " + state.shortDigest() + "  " + state.soFar()));
        layers.clear();
        err.flush();
    }
}
