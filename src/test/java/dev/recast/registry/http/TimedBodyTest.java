package dev.recast.registry.http;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The watchdog on response bodies, over a body whose bytes the test hands out. */
class TimedBodyTest {
    private static final int CLOSED = -2;

    /** Blocks until a byte is offered; closing releases a blocked read with an error, as the JDK client's body does. */
    private static final class HandedOutBody extends InputStream {
        final LinkedBlockingQueue<Integer> bytes = new LinkedBlockingQueue<>();

        @Override
        public int read() throws IOException {
            try {
                int next = bytes.take();
                if (next == CLOSED) {
                    throw new IOException("closed");
                }
                return next;
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
        }

        @Override
        public void close() {
            bytes.add(CLOSED);
        }
    }

    @Test
    void aBodyThatGoesSilentFailsAfterTheIdleTimeout() throws IOException {
        HandedOutBody silent = new HandedOutBody();
        silent.bytes.add(1);
        InputStream body = new TimedBody(silent, "GET blob x", Duration.ofMillis(300), null);
        assertEquals(1, body.read());
        long started = System.nanoTime();
        IOException error = assertThrows(IOException.class, body::read);
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(error.getMessage().contains("GET blob x") && error.getMessage().contains("no bytes for 300 ms"),
                error.getMessage());
        assertTrue(millis >= 250 && millis < 5000, millis + " ms");
    }

    @Test
    void aTrickleThatNeverStallsStillMeetsTheWholeBodyDeadline() {
        HandedOutBody trickling = new HandedOutBody();
        ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        try {
            trickle.scheduleAtFixedRate(() -> trickling.bytes.add(7), 0, 50, TimeUnit.MILLISECONDS);
            InputStream body = new TimedBody(trickling, "GET blob y", Duration.ofSeconds(5), Duration.ofMillis(600));
            long started = System.nanoTime();
            IOException error = assertThrows(IOException.class, () -> {
                while (body.read() >= 0) {
                    // a byte every 50 ms: never idle, never done
                }
            });
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(error.getMessage().contains("deadline"), error.getMessage());
            assertTrue(millis >= 500 && millis < 5000, millis + " ms");
        } finally {
            trickle.shutdownNow();
        }
    }

    @Test
    void aReaderBusyElsewhereIsNotASilentRegistry() throws Exception {
        HandedOutBody waiting = new HandedOutBody();
        waiting.bytes.addAll(java.util.List.of(1, 2, -1));
        InputStream body = new TimedBody(waiting, "GET blob z", Duration.ofMillis(200), null);
        assertEquals(1, body.read());
        Thread.sleep(800);
        assertEquals(2, body.read(), "the pause was the reader's own (an upload, say), not the registry's");
        assertEquals(-1, body.read());
    }

    @Test
    void aBodyReadInTimeIsUntouched() throws IOException {
        HandedOutBody prompt = new HandedOutBody();
        prompt.bytes.addAll(java.util.List.of(1, 2, -1));
        InputStream body = new TimedBody(prompt, "GET manifest", Duration.ofMillis(200), Duration.ofSeconds(1));
        assertEquals(1, body.read());
        assertEquals(2, body.read());
        assertEquals(-1, body.read());
    }

    @Test
    void theWholeBodyDeadlineGrowsWithTheSize() {
        RegistrySettings settings = RegistrySettings.defaults();
        assertTrue(settings.bodyDeadline(100L << 20).compareTo(settings.bodyDeadline(1 << 20)) > 0);
        assertNull(settings.bodyDeadline(-1), "unknown length: no whole-body deadline, the idle one still holds");
    }
}
