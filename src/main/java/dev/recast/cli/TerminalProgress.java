package dev.recast.cli;

import dev.recast.convert.LayerAction;
import dev.recast.model.Descriptor;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Live progress on a terminal: one line per moving layer, redrawn in place (cursor up, clear line) at most ten times
 * a second by a ticker. A layer that ends leaves its final line above the live ones, where it scrolls away with the
 * output; the live area is thus as tall as the layers moving at once, and never climbs above the screen.
 */
final class TerminalProgress implements ProgressDisplay {
    private static final long FRAME_MILLIS = 100;
    /** A layer can wait long between reads (its compressor busy): its rate and time left still move on screen. */
    private static final long REFRESH_NANOS = 500_000_000L;
    private static final String CLEAR_LINE = "\033[2K";
    private static final String CLEAR_BELOW = "\033[J";

    private final PrintStream err;
    private final LongSupplier clock;
    private final int width;
    private final Map<String, LayerState> live = new LinkedHashMap<>();
    private final List<String> ended = new ArrayList<>();
    private ScheduledExecutorService ticker;
    private int drawnLines;
    private long drawnAt;
    private boolean changed;

    TerminalProgress(PrintStream err, LongSupplier clock, int width) {
        this.err = err;
        this.clock = clock;
        this.width = width;
    }

    /** A display that redraws itself on its own thread until closed. */
    static TerminalProgress started(PrintStream err, int width) {
        TerminalProgress display = new TerminalProgress(err, System::nanoTime, width);
        display.ticker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("recast-progress").daemon().factory());
        display.ticker.scheduleAtFixedRate(display::draw, FRAME_MILLIS, FRAME_MILLIS, TimeUnit.MILLISECONDS);
        return display;
    }

    /** The terminal's width from {@code COLUMNS} when the shell exported it, else the classic 80. */
    static int width(String columns) {
        try {
            return columns == null ? 80 : Math.max(20, Integer.parseInt(columns.strip()));
        } catch (NumberFormatException e) {
            return 80;
        }
    }

    @Override
    public synchronized void layerStarted(String image, Descriptor layer) {
        live.put(LayerState.key(image, layer), new LayerState(layer, clock.getAsLong()));
        changed = true;
    }

    @Override
    public synchronized void layerProgress(String image, Descriptor layer, long bytesRead, long bytesWritten) {
        LayerState state = live.get(LayerState.key(image, layer));
        if (state != null) {
            state.update(bytesRead, bytesWritten);
            changed = true;
        }
    }

    @Override
    public synchronized void layerFinished(String image, Descriptor layer, LayerAction action, Descriptor result,
                                           long millis) {
        LayerState state = live.remove(LayerState.key(image, layer));
        if (state != null) {
            ended.add(state.finished(action, result, millis));
            changed = true;
        }
    }

    /**
     * Redraws when something changed since the last frame, or half a second went by with layers moving: back up over
     * the live lines, then write them anew.
     */
    synchronized void draw() {
        long now = clock.getAsLong();
        if (!changed && (live.isEmpty() || now - drawnAt < REFRESH_NANOS)) {
            return;
        }
        StringBuilder frame = new StringBuilder("\r");
        if (drawnLines > 0) {
            frame.append("\033[").append(drawnLines).append('A');
        }
        for (String line : ended) {
            frame.append(CLEAR_LINE).append(fitted(line)).append('\n');
        }
        ended.clear();
        for (LayerState state : live.values()) {
            frame.append(CLEAR_LINE).append(fitted(state.live(now))).append('\n');
        }
        frame.append(CLEAR_BELOW);
        drawnLines = live.size();
        drawnAt = now;
        changed = false;
        err.print(frame);
        err.flush();
    }

    @Override
    public void close() {
        if (ticker != null) {
            ticker.shutdownNow();
            try {
                ticker.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            live.values().forEach(state -> ended.add(state.shortDigest() + "  STOPPED  " + state.soFar()));
            live.clear();
            changed = true;
            draw();
        }
    }

    /** A line longer than the terminal would wrap and throw the cursor arithmetic off: it is cut instead. */
    private String fitted(String line) {
        return line.length() < width ? line : line.substring(0, width - 1);
    }
}
