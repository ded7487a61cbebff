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

    public int inUse() {
        return limit - slots.availablePermits();
    }
}
