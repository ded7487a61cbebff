package dev.recast.cli;

import dev.recast.convert.LayerAction;
import dev.recast.model.Descriptor;

import java.util.Locale;

/** What a progress display knows of one layer while it moves, and the words it shows for it. */
final class LayerState {
    private final String image;
    private final Descriptor layer;
    private final long startedNanos;
    private long read;
    private long written;

    LayerState(String image, Descriptor layer, long startedNanos) {
        this.image = image;
        this.layer = layer;
        this.startedNanos = startedNanos;
    }

    void update(long bytesRead, long bytesWritten) {
        read = bytesRead;
        written = bytesWritten;
    }

    String image() {
        return image;
    }

    /** The layer's digest as the report table shows it: algorithm and 12 hex digits. */
    String shortDigest() {
        return layer.digest().algorithm() + ":" + layer.digest().hex().substring(0, 12);
    }

    /** Bytes read of all, share done, rate, output/input ratio so far (once something was written) and time left. */
    String live(long nowNanos) {
        double seconds = Math.max(1e-3, (nowNanos - startedNanos) / 1e9);
        double rate = read / seconds;
        long total = Math.max(layer.size(), read);
        StringBuilder line = new StringBuilder(shortDigest()).append("  ").append(size(read)).append(" / ")
                .append(size(total)).append(String.format(Locale.ROOT, "  %3d%%", total == 0 ? 100 : read * 100 / total))
                .append("  ").append(size(Math.round(rate))).append("/s");
        if (written > 0 && read > 0) {
            line.append(String.format(Locale.ROOT, "  ratio %.2f", (double) written / read));
        }
        if (rate > 0) {
            line.append("  ETA ").append(duration(Math.round((total - read) / rate * 1000)));
        }
        return line.toString();
    }

    /** The layer's end: what was done, its size before and after, and how long it took. */
    String finished(LayerAction action, Descriptor result, long millis) {
        String ratio = layer.size() == 0 ? "" : String.format(Locale.ROOT, "  ratio %.2f", (double) result.size() / layer.size());
        return shortDigest() + "  " + action + "  " + size(layer.size()) + " → " + size(result.size()) + ratio
                + "  in " + duration(millis);
    }

    /** How far a layer got that was still moving when the command ended (it failed or was stopped). */
    String soFar() {
        return "after " + size(read) + " of " + size(layer.size());
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes / 1024.0;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    static String duration(long millis) {
        if (millis < 1000) {
            return millis + " ms";
        }
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        long seconds = millis / 1000;
        return String.format(Locale.ROOT, "%d:%02d min", seconds / 60, seconds % 60);
    }
}
