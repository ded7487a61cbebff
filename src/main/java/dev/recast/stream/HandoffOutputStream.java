package dev.recast.stream;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * An output stream whose bytes are written downstream by a thread of its own, so that the writer and the downstream
 * work (hashing, compressing, uploading) run on two cores. Between them sits a fixed ring of reusable chunks: memory
 * is {@code chunks × chunkSize} whatever the stream's length, and a writer ahead of its stage waits for a free chunk.
 * <p>
 * {@link #close()} hands the last bytes over, waits until the stage has written everything and rethrows the first
 * failure of the stage (the same exception, so its kind is kept); a stage failure also makes the next {@code write}
 * throw. {@link #abort()} is the way out when the writer failed: the stage is interrupted and waited for. Either way
 * the stage's thread has ended when the call returns. Downstream is never closed: its owner does that after close.
 * One writer thread at a time.
 */
public final class HandoffOutputStream extends OutputStream {
    private static final Slice END = new Slice(null, 0);

    private final OutputStream downstream;
    private final BlockingQueue<byte[]> free;
    private final BlockingQueue<Slice> filled;
    private final Thread stage;
    private volatile Throwable failure;
    private byte[] current;
    private int fill;
    private boolean ended;

    private record Slice(byte[] bytes, int length) {
    }

    private HandoffOutputStream(OutputStream downstream, int chunks, int chunkSize, ThreadFactory threads) {
        this.downstream = downstream;
        this.free = new ArrayBlockingQueue<>(chunks);
        for (int i = 0; i < chunks; i++) {
            free.add(new byte[chunkSize]);
        }
        // room for every chunk and the end mark: handing over never waits for the stage, only for a free chunk
        this.filled = new ArrayBlockingQueue<>(chunks + 1);
        this.stage = threads.newThread(this::drain);
    }

    /** Starts a stage writing to {@code downstream} on a thread from {@code threads}. */
    public static HandoffOutputStream start(OutputStream downstream, int chunks, int chunkSize, ThreadFactory threads) {
        HandoffOutputStream handoff = new HandoffOutputStream(downstream, chunks, chunkSize, threads);
        handoff.stage.start();
        return handoff;
    }

    private void drain() {
        try {
            for (Slice slice = filled.take(); slice != END; slice = filled.take()) {
                try {
                    if (failure == null) {
                        downstream.write(slice.bytes(), 0, slice.length());
                    }
                } catch (Throwable t) {
                    // keep taking chunks (and giving them back) so that the writer never waits on a dead stage
                    failure = t;
                } finally {
                    free.add(slice.bytes());
                }
            }
        } catch (InterruptedException e) {
            if (failure == null) {
                failure = new InterruptedIOException("stage " + Thread.currentThread().getName() + " was stopped");
            }
        }
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] buffer, int offset, int length) throws IOException {
        while (length > 0) {
            throwFailure();
            if (current == null) {
                current = freeChunk();
                fill = 0;
            }
            int n = Math.min(length, current.length - fill);
            System.arraycopy(buffer, offset, current, fill, n);
            fill += n;
            offset += n;
            length -= n;
            if (fill == current.length) {
                handOver();
            }
        }
    }

    /** Does nothing: bytes reach downstream in whole chunks, and all of them by {@link #close()}. */
    @Override
    public void flush() {
    }

    /** Hands the last bytes over, waits until the stage wrote them all, and throws what failed there. */
    @Override
    public void close() throws IOException {
        if (ended) {
            return;
        }
        try {
            throwFailure();
            if (current != null && fill > 0) {
                handOver();
            }
        } finally {
            end(false);
        }
        throwFailure();
    }

    /** Stops the stage without waiting for its work (the writer failed); nothing is thrown. */
    public void abort() {
        if (!ended) {
            end(true);
        }
    }

    private void end(boolean interrupt) {
        ended = true;
        filled.add(END);
        if (interrupt) {
            stage.interrupt();
        }
        boolean interrupted = false;
        while (true) {
            try {
                stage.join();
                break;
            } catch (InterruptedException e) {
                // the writer is being stopped too: make the stage give up, but still wait for it to end
                interrupted = true;
                stage.interrupt();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void handOver() {
        filled.add(new Slice(current, fill));
        current = null;
    }

    private byte[] freeChunk() throws IOException {
        try {
            byte[] chunk;
            while ((chunk = free.poll(100, TimeUnit.MILLISECONDS)) == null) {
                throwFailure();
                if (!stage.isAlive()) {
                    throw new IOException("stage " + stage.getName() + " ended early");
                }
            }
            return chunk;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("stopped while waiting for stage " + stage.getName());
        }
    }

    private void throwFailure() throws IOException {
        Throwable t = failure;
        switch (t) {
            case null -> {
            }
            case IOException e -> throw e;
            case RuntimeException e -> throw e;
            case Error e -> throw e;
            default -> throw new IOException(t);
        }
    }
}
