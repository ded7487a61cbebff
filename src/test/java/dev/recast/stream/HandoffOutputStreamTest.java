package dev.recast.stream;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadFactory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HandoffOutputStreamTest {
    private static final ThreadFactory THREADS = Thread.ofPlatform().daemon().factory();

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    /** Hands out at most a few bytes per read, so that chunks fill over many reads and in odd places. */
    private static InputStream trickling(byte[] bytes) {
        return new FilterInputStream(new ByteArrayInputStream(bytes)) {
            private int next = 1;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                next = next % 997 + 1;
                return super.read(b, off, Math.min(len, next));
            }
        };
    }

    @Test
    void everyDownstreamGetsEveryByteFromChunksReusedManyTimes() throws Exception {
        byte[] data = random(1_000_003);
        ByteArrayOutputStream slow = new ByteArrayOutputStream();
        ByteArrayOutputStream fast = new ByteArrayOutputStream();
        OutputStream sleepy = new OutputStream() {
            @Override
            public void write(int b) {
                slow.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                Thread.yield();
                slow.write(b, off, len);
            }
        };
        HandoffOutputStream handoff = HandoffOutputStream.start(List.of(sleepy, fast), 2, 4096, THREADS);
        InputStream in = trickling(data);
        long total = 0;
        for (int n; (n = handoff.readFrom(in)) >= 0; ) {
            total += n;
        }
        handoff.close();
        assertEquals(data.length, total);
        assertArrayEquals(data, slow.toByteArray());
        assertArrayEquals(data, fast.toByteArray());
    }

    @Test
    void writesAndReadsMixAndKeepTheirOrder() throws Exception {
        byte[] data = random(50_000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HandoffOutputStream handoff = HandoffOutputStream.start(out, 3, 1000, THREADS);
        handoff.write(data, 0, 12_345);
        InputStream rest = new ByteArrayInputStream(data, 12_345, data.length - 12_345);
        while (handoff.readFrom(rest) >= 0) {
            handoff.write(new byte[0], 0, 0);
        }
        handoff.close();
        assertArrayEquals(data, out.toByteArray());
    }

    @Test
    void aFailingDownstreamFailsTheWriterWhileTheOtherEnds() throws Exception {
        IOException broken = new IOException("disk full");
        OutputStream failing = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw broken;
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                throw broken;
            }
        };
        ByteArrayOutputStream other = new ByteArrayOutputStream();
        HandoffOutputStream handoff = HandoffOutputStream.start(List.of(other, failing), 2, 1024, THREADS);
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 7;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return len;
            }
        };
        IOException thrown = assertThrows(IOException.class, () -> {
            while (true) {
                handoff.readFrom(endless);
            }
        });
        assertSame(broken, thrown);
        handoff.abort();
        assertFalse(other.size() > 0 && other.size() % 1024 != 0, "the healthy stage only ever saw whole chunks");
    }

    @Test
    void whenALaterStageGetsNoThreadTheEarlierOnesEnd() throws Exception {
        List<Thread> made = new ArrayList<>();
        ThreadFactory oneThreadOnly = stage -> {
            if (!made.isEmpty()) {
                throw new IllegalStateException("no more threads");
            }
            Thread thread = Thread.ofPlatform().daemon().unstarted(stage);
            made.add(thread);
            return thread;
        };
        assertThrows(IllegalStateException.class, () -> HandoffOutputStream.start(
                List.of(new ByteArrayOutputStream(), new ByteArrayOutputStream()), 2, 16, oneThreadOnly));
        // the threads are made before any starts: none was started, none waits
        assertEquals(1, made.size());
        assertFalse(made.getFirst().isAlive());
    }

    @Test
    void whenALaterStageCannotStartTheStartedOnesEnd() throws Exception {
        List<Thread> made = new ArrayList<>();
        ThreadFactory secondWillNotStart = stage -> {
            Thread thread = made.isEmpty() ? Thread.ofPlatform().daemon().unstarted(stage)
                    : new Thread(stage) {
                        @Override
                        public synchronized void start() {
                            throw new OutOfMemoryError("unable to create native thread");
                        }
                    };
            made.add(thread);
            return thread;
        };
        assertThrows(OutOfMemoryError.class, () -> HandoffOutputStream.start(
                List.of(new ByteArrayOutputStream(), new ByteArrayOutputStream()), 2, 16, secondWillNotStart));
        made.getFirst().join(5_000);
        assertFalse(made.getFirst().isAlive(), "the stage started first still waits for chunks");
    }
}
