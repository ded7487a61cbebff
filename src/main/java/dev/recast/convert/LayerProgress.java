package dev.recast.convert;

import dev.recast.model.Descriptor;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts one layer's bytes as they are read from the source and written to the target, and tells the listener at
 * most five times a second (from the reading thread), so that a display costs nothing per buffer, and once more when
 * the source ends.
 */
final class LayerProgress {
    private static final long INTERVAL_NANOS = 200_000_000L;

    private final ConversionListener listener;
    private final String image;
    private final Descriptor layer;
    private final AtomicLong read = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private long lastTold = System.nanoTime();
    private boolean toldEnd;

    LayerProgress(ConversionListener listener, String image, Descriptor layer) {
        this.listener = listener;
        this.image = image;
        this.layer = layer;
    }

    InputStream reading(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = in.read();
                counted(b < 0 ? -1 : 1);
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = in.read(buffer, offset, length);
                counted(n);
                return n;
            }
        };
    }

    OutputStream writing(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(int b) throws IOException {
                out.write(b);
                written.incrementAndGet();
            }

            @Override
            public void write(byte[] buffer, int offset, int length) throws IOException {
                out.write(buffer, offset, length);
                written.addAndGet(length);
            }
        };
    }

    /** @param n bytes just read, -1 at the end of the source */
    private void counted(int n) {
        long total = read.addAndGet(Math.max(n, 0));
        long now = System.nanoTime();
        boolean end = n < 0 && !toldEnd;
        toldEnd |= end;
        if (end || now - lastTold >= INTERVAL_NANOS) {
            lastTold = now;
            listener.layerProgress(image, layer, total, written.get());
        }
    }
}
