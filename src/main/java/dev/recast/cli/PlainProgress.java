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
        LayerState state = new LayerState(image, layer, now);
        layers.put(key(image, layer), state);
        lastPrinted.put(key(image, layer), now);
        err.println("started   " + state.shortDigest() + "  " + LayerState.size(layer.size()) + "  " + image);
    }

    @Override
    public synchronized void layerProgress(String image, Descriptor layer, long bytesRead, long bytesWritten) {
        LayerState state = layers.get(key(image, layer));
        if (state == null) {
            return;
        }
        state.update(bytesRead, bytesWritten);
        long now = clock.getAsLong();
        if (now - lastPrinted.get(key(image, layer)) >= EVERY_NANOS) {
            lastPrinted.put(key(image, layer), now);
            err.println("progress  " + state.live(now));
        }
    }

    @Override
    public synchronized void layerFinished(String image, Descriptor layer, LayerAction action, Descriptor result,
                                           long millis) {
        LayerState state = layers.remove(key(image, layer));
        lastPrinted.remove(key(image, layer));
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

    static String key(String image, Descriptor layer) {
        return image + "@" + layer.digest();
    }
}
