package dev.recast.registry.store;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SideBySideTest {

    @Test
    void resultsComeInTheOrderOfTheCallsWhicheverEndsFirst() {
        List<Supplier<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            calls.add(() -> {
                sleep(5L * (5 - n));
                return n;
            });
        }
        assertEquals(List.of(0, 1, 2, 3, 4), SideBySide.all(calls));
    }

    @Test
    void theCallsOverlapButNoMoreThanTheBoundAtOnce() {
        AtomicInteger now = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch twoIn = new CountDownLatch(2);
        List<Supplier<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 3 * SideBySide.AT_ONCE; i++) {
            calls.add(() -> {
                most.accumulateAndGet(now.incrementAndGet(), Math::max);
                twoIn.countDown();
                await(twoIn);
                sleep(20);
                now.decrementAndGet();
                return 1;
            });
        }
        assertEquals(3 * SideBySide.AT_ONCE, SideBySide.all(calls).size());
        assertTrue(most.get() >= 2 && most.get() <= SideBySide.AT_ONCE, "at most at once: " + most.get());
    }

    @Test
    void theFirstFailureIsThrownAsItWasWithTheLaterOnesSuppressedAfterEveryCallEnded() {
        RecastException first = new RecastException(ErrorKind.UPSTREAM, "first");
        RecastException second = new RecastException(ErrorKind.CONFLICT, "second");
        AtomicInteger ended = new AtomicInteger();
        RecastException thrown = assertThrows(RecastException.class, () -> SideBySide.all(List.of(
                () -> {
                    sleep(30);
                    throw first;
                },
                () -> {
                    throw second;
                },
                () -> {
                    sleep(60);
                    return ended.incrementAndGet();
                })));
        assertSame(first, thrown);
        assertEquals(List.of(second), List.of(thrown.getSuppressed()));
        assertEquals(1, ended.get(), "the slow call had ended before the failure was thrown");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
