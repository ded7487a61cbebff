package dev.recast.convert;

import dev.recast.model.Digest;
import dev.recast.model.MediaType;

/** What became of one layer: the action taken and the layer's type, digest and size in the result. */
record LayerOutcome(LayerAction action, MediaType mediaType, Digest digest, long size, long millis, String note) {
    LayerOutcome withMillis(long value) {
        return new LayerOutcome(action, mediaType, digest, size, value, note);
    }
}
