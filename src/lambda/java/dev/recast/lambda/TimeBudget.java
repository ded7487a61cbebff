package dev.recast.lambda;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.convert.ConversionListener;
import dev.recast.convert.LayerAction;
import dev.recast.inspect.ImageInspection;
import dev.recast.model.Descriptor;

import java.util.function.LongSupplier;

/**
 * A Lambda invocation ends at its timeout, whatever is running. A conversion that would not fit is refused before it
 * starts, and one that runs late stops after a layer: either way before any manifest or tag is written.
 */
public final class TimeBudget {
    private final LongSupplier remainingMillis;
    private final LambdaConfig config;

    /**
     * @param remainingMillis the invocation's time left; Lambda always gives a deadline in the future, so a value
     *                        that is not positive when the invocation starts means none is known (the mock event
     *                        server of Quarkus's test mode) and the budget does not limit
     */
    public TimeBudget(LongSupplier remainingMillis, LambdaConfig config) {
        this.remainingMillis = remainingMillis.getAsLong() > 0 ? remainingMillis : () -> Long.MAX_VALUE;
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

    /** Stops a running conversion, between layers, once only the reserve is left. */
    public ConversionListener deadline() {
        return new ConversionListener() {
            @Override
            public void layerFinished(String image, Descriptor layer, LayerAction action, Descriptor result, long millis) {
                if (remainingMillis.getAsLong() < config.reserve().toMillis()) {
                    throw new RecastException(ErrorKind.TOO_LARGE, "the Lambda invocation is about to time out; the "
                            + "conversion stopped before writing any manifest or tag", image, layer.digest(), null);
                }
            }
        };
    }
}
