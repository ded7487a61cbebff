package dev.recast.lambda;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.convert.Cancellation;
import dev.recast.inspect.ImageInspection;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A Lambda invocation ends at its timeout, whatever is running. A conversion that would not fit is refused before it
 * starts, and one that runs late is stopped once only the reserve is left: either way before its tag is written.
 */
public final class TimeBudget {
    private final LongSupplier remainingMillis;
    private final boolean limited;
    private final LambdaConfig config;

    /**
     * @param remainingMillis the invocation's time left; Lambda always gives a deadline in the future, so a value
     *                        that is not positive when the invocation starts means none is known (the mock event
     *                        server of Quarkus's test mode) and the budget does not limit
     */
    public TimeBudget(LongSupplier remainingMillis, LambdaConfig config) {
        this.limited = remainingMillis.getAsLong() > 0;
        this.remainingMillis = limited ? remainingMillis : () -> Long.MAX_VALUE;
        this.config = config;
    }

    /** Whether an image's layers can be moved in the time left at the configured throughput. */
    public boolean fits(ImageInspection image) {
        return neededMillis(image) <= remainingMillis.getAsLong();
    }

    /** Refuses an image whose layers cannot be moved in the time left at the configured throughput. */
    public void checkFits(ImageInspection image) {
        if (!fits(image)) {
            throw new RecastException(ErrorKind.TOO_LARGE, image.reference() + " has " + image.layerBytes()
                    + " bytes of layers: about " + neededMillis(image) / 1000 + " s of work, but this invocation has "
                    + remainingMillis.getAsLong() / 1000 + " s left; nothing was written. A list or index is split per "
                    + "platform when recast.lambda.fanout-queue-url is set; else raise the function's timeout");
        }
    }

    private long neededMillis(ImageInspection image) {
        return image.layerBytes() * 1000 / Math.max(1, config.bytesPerSecond()) + config.reserve().toMillis();
    }

    /**
     * Stops a conversion once only the reserve is left (its layer workers are interrupted, its uploads abandoned);
     * one per conversion.
     */
    public Cancellation deadline() {
        Cancellation cancellation = new Cancellation();
        if (!limited) {
            return cancellation;
        }
        return cancellation.after(Duration.ofMillis(remainingMillis.getAsLong()).minus(config.reserve()), () ->
                new RecastException(ErrorKind.TOO_LARGE, "the Lambda invocation is about to time out; the conversion "
                        + "was stopped before writing its tag"));
    }
}
