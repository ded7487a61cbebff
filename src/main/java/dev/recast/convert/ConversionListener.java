package dev.recast.convert;

import dev.recast.model.Descriptor;

/** Hears about each distinct layer of a conversion as it goes; called from layer worker threads. */
public interface ConversionListener {
    ConversionListener NONE = new ConversionListener() {
    };

    default void layerStarted(String image, Descriptor layer) {
    }

    /** @param result the layer's descriptor in the result (type, digest and size after conversion) */
    default void layerFinished(String image, Descriptor layer, LayerAction action, Descriptor result, long millis) {
    }
}
