package dev.recast.convert;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads of one layer's pipeline stages (hashing, compressing, uploading): named after the layer, and counted as
 * working for the run while they run, so that a stopped run interrupts them as it does its layer workers.
 */
final class StageThreads implements ThreadFactory {
    private final Cancellation cancellation;
    private final String prefix;
    private final AtomicInteger count = new AtomicInteger();

    StageThreads(Cancellation cancellation, String layer) {
        this.cancellation = cancellation;
        this.prefix = "recast-stage-" + layer.substring(layer.indexOf(':') + 1, Math.min(layer.length(), 19)) + "-";
    }

    @Override
    public Thread newThread(Runnable stage) {
        return Thread.ofPlatform().daemon().name(prefix + count.incrementAndGet()).unstarted(() -> {
            try (Cancellation.Work ignored = cancellation.enter()) {
                stage.run();
            }
        });
    }
}
