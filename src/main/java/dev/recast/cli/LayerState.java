package dev.recast.cli;

import dev.recast.convert.LayerAction;
import dev.recast.model.Descriptor;

import java.util.Locale;

/** What a progress display knows of one layer while it moves, and the words it shows for it. */
final class LayerState {
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};

    private final Descriptor layer;
    private final long startedNanos;
    private long read;
    private long written;

    LayerState(Descriptor layer, long startedNanos) {
        this.layer = layer;
        this.startedNanos = startedNanos;
    }

    /** Displays know a layer by its image and digest: the same layer may come again in another image of an index. */
    static String key(String image, Descriptor layer) {
        return image + "@" + layer.digest();
    }

    void update(long bytesRead, long bytesWritten) {
        read = bytesRead;
        written = bytesWritten;
    }

    /** The layer's digest as the report table shows it: algorithm and 12 hex digits. */
    String shortDigest() {
        return ReportTable.short12(layer.digest());
    }

    /** Bytes read of all, share done, rate, output/input ratio so far (once something was written) and time left. */
    String live(long nowNanos) {
        double seconds = Math.max(1e-3, (nowNanos - startedNanos) / 1e9);
        double rate = read / seconds;
        long total = Math.max(layer.size(), read);
        StringBuilder line = new StringBuilder(shortDigest()).append("  ").append(sizes(read, total))
                .append(String.format(Locale.ROOT, "  %d%%", total == 0 ? 100 : read * 100 / total))
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
        int unit = unit(bytes);
        return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", bytes / Math.pow(1024, unit), UNITS[unit]);
    }

    /** "part / whole unit", both in the whole's unit: short enough for a terminal line. */
    static String sizes(long part, long whole) {
        int unit = unit(whole);
        if (unit == 0) {
            return part + " / " + whole + " B";
        }
        double scale = Math.pow(1024, unit);
        return String.format(Locale.ROOT, "%.1f / %.1f %s", part / scale, whole / scale, UNITS[unit]);
    }

    private static int unit(long bytes) {
        int unit = 0;
        for (long value = bytes; value >= 1024 && unit < UNITS.length - 1; value /= 1024) {
            unit++;
        }
        return unit;
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
