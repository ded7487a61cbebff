package dev.recast.convert;

import dev.recast.model.Descriptor;

/** Hears about each distinct layer of a conversion as it goes; called from layer worker threads. */
public interface ConversionListener {
    ConversionListener NONE = new ConversionListener() {
    };

    default void layerStarted(String image, Descriptor layer) {
    }

    /**
     * Bytes of {@code layer}'s blob read so far and of its result written so far (0 when the blob is copied as it
     * is); told a few times a second at most while a layer is transferred, and again from 0 if it is retried.
     */
    default void layerProgress(String image, Descriptor layer, long bytesRead, long bytesWritten) {
    }

    /** @param result the layer's descriptor in the result (type, digest and size after conversion) */
    default void layerFinished(String image, Descriptor layer, LayerAction action, Descriptor result, long millis) {
    }
}
