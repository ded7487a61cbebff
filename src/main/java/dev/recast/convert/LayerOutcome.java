package dev.recast.convert;

import dev.recast.model.Descriptor;
import dev.recast.model.Digest;
import dev.recast.model.MediaType;
import dev.recast.stream.ZstdChunkedWriter;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What became of one layer: the action taken and the layer's type, digest and size in the result, and the annotations
 * the new blob needs on its descriptor (zstd:chunked's table of contents; usually none).
 */
record LayerOutcome(LayerAction action, MediaType mediaType, Digest digest, long size, long millis, String note,
                    Map<String, String> annotations) {
    LayerOutcome {
        // kept in order: annotations are written as they come, and manifests must be reproducible
        annotations = annotations == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(annotations));
    }

    LayerOutcome(LayerAction action, MediaType mediaType, Digest digest, long size, long millis, String note) {
        this(action, mediaType, digest, size, millis, note, Map.of());
    }

    LayerOutcome withMillis(long value) {
        return new LayerOutcome(action, mediaType, digest, size, value, note, annotations);
    }

    /**
     * The source layer's descriptor rewritten for this outcome. Its annotations stay, except that a new blob drops
     * the zstd:chunked ones of the old (they would point podman at offsets of another blob) and gets its own.
     */
    Descriptor applyTo(Descriptor before) {
        Descriptor after = before.withContent(mediaType, digest, size);
        if (digest.equals(before.digest()) && annotations.isEmpty()) {
            return after;
        }
        Map<String, String> merged = new LinkedHashMap<>();
        before.annotations().forEach((key, value) -> {
            if (!ZstdChunkedWriter.describesChunkedBlob(key)) {
                merged.put(key, value);
            }
        });
        merged.putAll(annotations);
        return after.withAnnotations(merged);
    }
}
