package dev.recast.convert;

import dev.recast.convert.ConversionReport.Totals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** What one run has done so far, for its report: the images converted, notes, and bytes moved. Thread-safe. */
final class RunReport {
    private final List<ImageReport> images = Collections.synchronizedList(new ArrayList<>());
    private final List<String> notes = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong bytesRead = new AtomicLong();
    private final AtomicLong bytesWritten = new AtomicLong();

    void image(ImageReport image) {
        images.add(image);
    }

    void note(String note) {
        notes.add(note);
    }

    void read(long bytes) {
        bytesRead.addAndGet(bytes);
    }

    void wrote(long bytes) {
        bytesWritten.addAndGet(bytes);
    }

    List<ImageReport> images() {
        return List.copyOf(images);
    }

    List<String> notes() {
        return List.copyOf(notes);
    }

    /** @param dryRun a dry run wrote nothing, whatever its store discarded */
    Totals totals(boolean dryRun) {
        int recompressed = 0;
        int reused = 0;
        int copied = 0;
        int skipped = 0;
        int count = 0;
        long before = 0;
        long after = 0;
        for (ImageReport image : images()) {
            for (LayerReport layer : image.layers()) {
                count++;
                before += layer.sourceSize();
                after += layer.targetSize();
                switch (layer.action()) {
                    case RECOMPRESSED -> recompressed++;
                    case REUSED -> reused++;
                    case COPIED -> copied++;
                    case SKIPPED -> skipped++;
                }
            }
        }
        return new Totals(count, recompressed, reused, copied, skipped, before, after, bytesRead.get(),
                dryRun ? 0 : bytesWritten.get());
    }
}
