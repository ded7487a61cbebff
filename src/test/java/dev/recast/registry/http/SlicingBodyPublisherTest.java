package dev.recast.registry.http;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The zero-copy request body: every byte once, in order, whether asked for one slice at a time or all at once. */
class SlicingBodyPublisherTest {

    /** Collects the body, asking for {@code batch} slices at a time from inside onNext. */
    private static byte[] drain(HttpRequest.BodyPublisher body, long batch, AtomicBoolean completed) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        body.subscribe(new Flow.Subscriber<>() {
            private Flow.Subscription subscription;
            private long left;

            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription = s;
                left = batch;
                s.request(batch);
            }

            @Override
            public void onNext(ByteBuffer slice) {
                assertTrue(slice.isReadOnly(), "the caller's array is never writable through a slice");
                byte[] bytes = new byte[slice.remaining()];
                slice.get(bytes);
                out.writeBytes(bytes);
                if (--left == 0) {
                    left = batch;
                    subscription.request(batch);
                }
            }

            @Override
            public void onError(Throwable error) {
                throw new AssertionError(error);
            }

            @Override
            public void onComplete() {
                completed.set(true);
            }
        });
        return out.toByteArray();
    }

    @Test
    void publishesTheArrayInOrderOnce() {
        byte[] data = new byte[300_000];
        new Random(3).nextBytes(data);
        for (long batch : new long[]{1, 3, Long.MAX_VALUE}) {
            AtomicBoolean completed = new AtomicBoolean();
            HttpRequest.BodyPublisher body = SlicingBodyPublisher.of(data);
            assertEquals(data.length, body.contentLength());
            assertArrayEquals(data, drain(body, batch, completed), "batch " + batch);
            assertTrue(completed.get(), "completed after the last slice, batch " + batch);
        }
        AtomicBoolean completed = new AtomicBoolean();
        assertEquals(0, drain(SlicingBodyPublisher.of(new byte[0]), 1, completed).length);
        assertTrue(completed.get());
    }

    @Test
    void aNonPositiveRequestIsAnError() {
        AtomicBoolean failed = new AtomicBoolean();
        SlicingBodyPublisher.of(new byte[10]).subscribe(new Flow.Subscriber<>() {
            public void onSubscribe(Flow.Subscription s) {
                s.request(0);
            }

            public void onNext(ByteBuffer item) {
                throw new AssertionError("nothing may be sent after a bad request");
            }

            public void onError(Throwable error) {
                failed.set(error instanceof IllegalArgumentException);
            }

            public void onComplete() {
                throw new AssertionError("not complete");
            }
        });
        assertTrue(failed.get());
        assertThrows(NullPointerException.class, () -> SlicingBodyPublisher.of(null));
    }
}
