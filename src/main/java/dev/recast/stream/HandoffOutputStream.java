package dev.recast.stream;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An output stream whose bytes are written downstream by threads of their own, so that the writer and the downstream
 * work (hashing, compressing, uploading) run on several cores. Each downstream has its own thread, and all of them
 * are handed the same chunks: one copy feeds them all. Between writer and stages sits a fixed ring of reusable
 * chunks: memory is {@code chunks × chunkSize} whatever the stream's length, a chunk is free again once every stage
 * wrote it, and a writer ahead of its slowest stage waits for a free chunk. {@link #readFrom} fills chunks straight
 * from an input stream, without even that copy.
 * <p>
 * {@link #close()} hands the last bytes over, waits until every stage has written everything and rethrows the first
 * failure of a stage (the same exception, so its kind is kept); a stage failure also makes the next {@code write}
 * throw. {@link #abort()} is the way out when the writer failed: the stages are interrupted and waited for. Either
 * way the stages' threads have ended when the call returns. Downstreams are never closed: their owner does that
 * after close. One writer thread at a time.
 */
public final class HandoffOutputStream extends OutputStream {
    private static final Slice END = new Slice(null, 0, null);

    private final BlockingQueue<byte[]> free;
    private final List<Stage> stages = new ArrayList<>();
    private volatile Throwable failure;
    private byte[] current;
    private int fill;
    private boolean ended;

    /** A filled chunk and how many stages have still to write it. */
    private record Slice(byte[] bytes, int length, AtomicInteger pending) {
    }

    /** One downstream, the thread writing to it and the chunks waiting for it. */
    private record Stage(OutputStream downstream, BlockingQueue<Slice> filled, Thread thread) {
    }

    private HandoffOutputStream(List<OutputStream> downstreams, int chunks, int chunkSize, ThreadFactory threads) {
        this.free = new ArrayBlockingQueue<>(chunks);
        for (int i = 0; i < chunks; i++) {
            free.add(new byte[chunkSize]);
        }
        for (OutputStream downstream : downstreams) {
            // room for every chunk and the end mark: handing over never waits for a stage, only for a free chunk
            BlockingQueue<Slice> filled = new ArrayBlockingQueue<>(chunks + 1);
            stages.add(new Stage(downstream, filled, threads.newThread(() -> drain(downstream, filled))));
        }
    }

    /** Starts a stage writing to {@code downstream} on a thread from {@code threads}. */
    public static HandoffOutputStream start(OutputStream downstream, int chunks, int chunkSize, ThreadFactory threads) {
        return start(List.of(downstream), chunks, chunkSize, threads);
    }

    /** Starts one stage per downstream, each on a thread from {@code threads}, all written the same bytes. */
    public static HandoffOutputStream start(List<OutputStream> downstreams, int chunks, int chunkSize,
                                            ThreadFactory threads) {
        HandoffOutputStream handoff = new HandoffOutputStream(downstreams, chunks, chunkSize, threads);
        List<Stage> started = new ArrayList<>();
        try {
            for (Stage stage : handoff.stages) {
                stage.thread().start();
                started.add(stage);
            }
        } catch (RuntimeException | Error e) {
            // no thread for a later stage: the ones started would wait for chunks forever
            started.forEach(stage -> stage.filled().add(END));
            throw e;
        }
        return handoff;
    }

    private void drain(OutputStream downstream, BlockingQueue<Slice> filled) {
        try {
            for (Slice slice = filled.take(); slice != END; slice = filled.take()) {
                try {
                    if (failure == null) {
                        downstream.write(slice.bytes(), 0, slice.length());
                    }
                } catch (Throwable t) {
                    // keep taking chunks (and giving them back) so that the writer never waits on a dead stage
                    fail(t);
                } finally {
                    if (slice.pending().decrementAndGet() == 0) {
                        free.add(slice.bytes());
                    }
                }
            }
        } catch (InterruptedException e) {
            fail(new InterruptedIOException("stage " + Thread.currentThread().getName() + " was stopped"));
        }
    }

    /** Keeps the first failure of any stage: the one reported. */
    private synchronized void fail(Throwable t) {
        if (failure == null) {
            failure = t;
        }
    }

    /**
     * Reads once from {@code in} straight into the chunk being filled (handed over when full): the bytes read, or -1
     * at the end of {@code in}.
     */
    public int readFrom(InputStream in) throws IOException {
        throwFailure();
        byte[] chunk = filling();
        int n = in.read(chunk, fill, chunk.length - fill);
        if (n > 0) {
            filled(n);
        }
        return n;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] buffer, int offset, int length) throws IOException {
        while (length > 0) {
            throwFailure();
            byte[] chunk = filling();
            int n = Math.min(length, chunk.length - fill);
            System.arraycopy(buffer, offset, chunk, fill, n);
            filled(n);
            offset += n;
            length -= n;
        }
    }

    /** Does nothing: bytes reach downstream in whole chunks, and all of them by {@link #close()}. */
    @Override
    public void flush() {
    }

    /** Hands the last bytes over, waits until every stage wrote them all, and throws what failed there. */
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

    /** Stops the stages without waiting for their work (the writer failed); nothing is thrown. */
    public void abort() {
        if (!ended) {
            end(true);
        }
    }

    private void end(boolean interrupt) {
        ended = true;
        boolean interrupted = false;
        for (Stage stage : stages) {
            stage.filled().add(END);
            if (interrupt) {
                stage.thread().interrupt();
            }
        }
        for (Stage stage : stages) {
            while (true) {
                try {
                    stage.thread().join();
                    break;
                } catch (InterruptedException e) {
                    // the writer is being stopped too: make the stage give up, but still wait for it to end
                    interrupted = true;
                    stage.thread().interrupt();
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The chunk being filled, a free one taken when there is none. */
    private byte[] filling() throws IOException {
        if (current == null) {
            current = freeChunk();
            fill = 0;
        }
        return current;
    }

    /** Counts {@code n} more bytes in the chunk being filled, handing it over when full. */
    private void filled(int n) {
        fill += n;
        if (fill == current.length) {
            handOver();
        }
    }

    private void handOver() {
        Slice slice = new Slice(current, fill, new AtomicInteger(stages.size()));
        stages.forEach(stage -> stage.filled().add(slice));
        current = null;
    }

    private byte[] freeChunk() throws IOException {
        try {
            byte[] chunk;
            while ((chunk = free.poll(100, TimeUnit.MILLISECONDS)) == null) {
                throwFailure();
                for (Stage stage : stages) {
                    if (!stage.thread().isAlive()) {
                        throw new IOException("stage " + stage.thread().getName() + " ended early");
                    }
                }
            }
            return chunk;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("stopped while waiting for stage " + stages.getFirst().thread().getName());
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
