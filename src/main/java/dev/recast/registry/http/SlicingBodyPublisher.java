package dev.recast.registry.http;

import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.concurrent.Flow;

/**
 * A request body published as read-only slices of the caller's array, without copying it. The JDK's
 * {@code BodyPublishers.ofByteArray} copies every byte into fresh buffers: for a blob upload that is the whole blob
 * again as garbage, which is what filled the heap when a 2 GB layer went up in 8 MiB chunks. The array must not
 * change until the exchange is over; {@link RegistryEndpointCaller} only returns once the response has arrived.
 */
final class SlicingBodyPublisher implements Flow.Publisher<ByteBuffer> {
    private static final int SLICE = 256 << 10;

    private final byte[] bytes;

    private SlicingBodyPublisher(byte[] bytes) {
        this.bytes = bytes;
    }

    /** An empty array is no body (the JDK refuses a publisher of length 0: the last PUT of an upload can be empty). */
    static HttpRequest.BodyPublisher of(byte[] bytes) {
        return bytes.length == 0 ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.fromPublisher(new SlicingBodyPublisher(bytes), bytes.length);
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        subscriber.onSubscribe(new Slices(subscriber));
    }

    /** Hands out slices as they are asked for; requests made from inside onNext are served by the loop already running. */
    private final class Slices implements Flow.Subscription {
        private final Flow.Subscriber<? super ByteBuffer> subscriber;
        private int position;
        private long demand;
        private boolean emitting;
        private boolean finished;

        Slices(Flow.Subscriber<? super ByteBuffer> subscriber) {
            this.subscriber = subscriber;
        }

        @Override
        public void request(long n) {
            synchronized (this) {
                if (finished) {
                    return;
                }
                if (n <= 0) {
                    finished = true;
                } else {
                    demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
                    if (emitting) {
                        return;
                    }
                    emitting = true;
                }
            }
            if (n <= 0) {
                subscriber.onError(new IllegalArgumentException("non-positive request: " + n));
                return;
            }
            emit();
        }

        private void emit() {
            while (true) {
                ByteBuffer next;
                synchronized (this) {
                    if (finished) {
                        emitting = false;
                        return;
                    }
                    if (position >= bytes.length) {
                        finished = true;
                        emitting = false;
                        next = null;
                    } else if (demand == 0) {
                        emitting = false;
                        return;
                    } else {
                        int length = Math.min(SLICE, bytes.length - position);
                        next = ByteBuffer.wrap(bytes, position, length).slice().asReadOnlyBuffer();
                        position += length;
                        demand--;
                    }
                }
                if (next == null) {
                    subscriber.onComplete();
                    return;
                }
                subscriber.onNext(next);
            }
        }

        @Override
        public synchronized void cancel() {
            finished = true;
        }
    }
}
