package dev.recast.service;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.Semaphore;

/** Bounds how many conversions run at once; a caller over the limit is refused at once, not queued. */
@ApplicationScoped
public class ConversionSlots {
    private final Semaphore slots;
    private final int limit;

    public ConversionSlots(RecastConfig config) {
        this.limit = config.api().concurrency();
        this.slots = new Semaphore(limit);
    }

    /** A held slot; closing it gives it back. */
    public interface Slot extends AutoCloseable {
        @Override
        void close();
    }

    public Slot acquire() {
        if (!slots.tryAcquire()) {
            throw new RecastException(ErrorKind.BUSY, "all " + limit + " conversion slots are busy; try again later");
        }
        return slots::release;
    }

    /** Slots held together, given back together: {@code count} conversions may run in them at once. */
    public record Claim(int count, Slot slot) {
    }

    /**
     * As many free slots as there are, up to {@code wanted}, at least one (else BUSY): a migration converts as many
     * images at once as it holds slots, so that this service's conversions never exceed the limit.
     */
    public Claim acquireUpTo(int wanted) {
        int held = 0;
        while (held < wanted && slots.tryAcquire()) {
            held++;
        }
        if (held == 0) {
            throw new RecastException(ErrorKind.BUSY, "all " + limit + " conversion slots are busy; try again later");
        }
        int count = held;
        return new Claim(count, () -> slots.release(count));
    }

    public int inUse() {
        return limit - slots.availablePermits();
    }
}
