package dev.recast.convert;

import dev.recast.RecastException;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The one way a run is stopped before its end, whatever stops it: its deadline, a layer that failed, or a Lambda's
 * time budget. Stopping keeps the first reason, interrupts every other thread working for the run (blocked reads and
 * uploads give up; an upload's writer, as it closes, deletes its session) and makes every later {@link #check()}
 * throw that reason. Once the run {@linkplain #commit() commits} (its tag write is all that is left), nothing stops it.
 * One instance serves one run.
 */
public final class Cancellation {
    private static final ScheduledThreadPoolExecutor TIMER = new ScheduledThreadPoolExecutor(1,
            Thread.ofPlatform().name("recast-deadline").daemon().factory());

    static {
        // most runs end long before their deadline: drop the timer then, not when it would have fired
        TIMER.setRemoveOnCancelPolicy(true);
    }

    private final Set<Thread> working = new HashSet<>();
    private final Set<Thread> interrupted = new HashSet<>();
    private final List<ScheduledFuture<?>> timers = new ArrayList<>();
    private volatile RecastException reason;
    private boolean ended;

    /** Stops the run with the reason {@code why} gives once {@code delay} has passed; at once if it already has. */
    public Cancellation after(Duration delay, Supplier<RecastException> why) {
        if (delay.isNegative() || delay.isZero()) {
            cancel(why.get());
            return this;
        }
        synchronized (this) {
            if (!ended && reason == null) {
                timers.add(TIMER.schedule(() -> cancel(why.get()), delay.toMillis(), TimeUnit.MILLISECONDS));
            }
        }
        return this;
    }

    /** Stops the run, unless it was stopped before or has committed; the first reason is the one reported. */
    public void cancel(RecastException why) {
        synchronized (this) {
            if (reason != null || ended) {
                return;
            }
            reason = why;
            for (Thread thread : working) {
                if (thread != Thread.currentThread()) {
                    interrupted.add(thread);
                    thread.interrupt();
                }
            }
        }
    }

    public boolean isCancelled() {
        return reason != null;
    }

    /** Throws the reason the run was stopped for, if it was. */
    public void check() {
        RecastException why = reason;
        if (why != null) {
            throw why;
        }
    }

    /** What a failure of the run is reported as: the reason it was stopped for, if it was, else the failure itself. */
    public RuntimeException explain(RuntimeException failure) {
        RecastException why = reason;
        return why != null ? why : failure;
    }

    /**
     * The last point at which the run may be stopped: throws if it was, else it can no longer be, and its timers end.
     * A tag write is not interrupted half-way, so a run that reports failure never moved its tag.
     */
    public synchronized void commit() {
        check();
        end();
    }

    /** Ends the run's timers; a run that returns (done or failed) ends its cancellation. */
    public synchronized void end() {
        ended = true;
        timers.forEach(timer -> timer.cancel(false));
        timers.clear();
    }

    /** Counts the calling thread as working for the run (it is interrupted when the run stops) until closed. */
    public Work enter() {
        Thread thread = Thread.currentThread();
        synchronized (this) {
            return new Work(working.add(thread) ? thread : null);
        }
    }

    /** Waits (at most {@code limit}) until no thread but the caller's works for the run: a stopped run's workers left. */
    public synchronized void awaitOthers(Duration limit) {
        long until = System.nanoTime() + limit.toNanos();
        boolean wasInterrupted = Thread.interrupted();
        try {
            while (working.stream().anyMatch(t -> t != Thread.currentThread())) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    wasInterrupted = true;
                }
            }
        } finally {
            if (wasInterrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A stream that stops reading once the run is stopped (files do not heed interrupts; this does). */
    public InputStream guard(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                check();
                return super.read();
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                check();
                return super.read(buffer, offset, length);
            }
        };
    }

    /** A thread's time working for the run; closing it clears an interrupt the run caused, so the thread goes on clean. */
    public final class Work implements AutoCloseable {
        private final Thread thread;

        private Work(Thread thread) {
            this.thread = thread;
        }

        @Override
        public void close() {
            if (thread == null) {
                return;
            }
            synchronized (Cancellation.this) {
                working.remove(thread);
                if (interrupted.remove(thread)) {
                    Thread.interrupted();
                }
                Cancellation.this.notifyAll();
            }
        }
    }
}
