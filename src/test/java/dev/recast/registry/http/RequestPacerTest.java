package dev.recast.registry.http;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The request rate holds across threads: by any moment, no more requests left than the rate allows since the first. */
class RequestPacerTest {

    @Test
    void manyThreadsNeverExceedTheRate() throws Exception {
        double rate = 100;
        RequestPacer pacer = RequestPacer.of(rate);
        ConcurrentLinkedQueue<Long> sent = new ConcurrentLinkedQueue<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(6)) {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                all.add(pool.submit(() -> {
                    pacer.await("test");
                    sent.add(System.nanoTime());
                }));
            }
            for (Future<?> f : all) {
                f.get();
            }
        }
        List<Long> times = sent.stream().sorted().toList();
        assertEquals(60, times.size());
        long first = times.getFirst();
        for (int k = 0; k < times.size(); k++) {
            double allowed = (times.get(k) - first) / 1e9 * rate + 1;
            assertTrue(k + 1 <= allowed + 1e-9, (k + 1) + " requests by " + (times.get(k) - first) / 1e6
                    + " ms: more than " + rate + "/s allows");
        }
    }

    @Test
    void noRateMeansNoWait() {
        assertEquals(RequestPacer.UNLIMITED, RequestPacer.of(0));
    }

    @Test
    void aNegativeRateIsRefusedBySettings() {
        try {
            RegistrySettings.defaults().withRequestRate(-1);
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage().contains("rate"));
            return;
        }
        throw new AssertionError("a negative rate was accepted");
    }
}
