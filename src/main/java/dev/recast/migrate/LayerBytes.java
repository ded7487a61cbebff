package dev.recast.migrate;

import dev.recast.RecastException;
import dev.recast.model.Content;
import dev.recast.model.Descriptor;
import dev.recast.model.ImageManifest;
import dev.recast.model.Index;
import dev.recast.model.Manifest;
import dev.recast.registry.store.ImageStore;

/**
 * The layer bytes an image's manifests declare (an index: those of each image it lists), read from manifests alone:
 * what an image converted by an earlier run counts in the savings without a layer being read.
 */
final class LayerBytes {

    private LayerBytes() {
    }

    static long of(ImageStore store, Content content) {
        return switch (parse(content)) {
            case Manifest image -> sum(image);
            case Index index -> index.manifests().stream().mapToLong(child -> store.findManifest(child.digest().toString())
                    .map(LayerBytes::parse).filter(Manifest.class::isInstance).map(m -> sum((Manifest) m)).orElse(0L))
                    .sum();
            case null -> 0;
        };
    }

    private static long sum(Manifest image) {
        return image.layers().stream().mapToLong(Descriptor::size).sum();
    }

    /** The manifest, or null for one Recast does not read (an artifact): it has no layers to count. */
    private static ImageManifest parse(Content content) {
        try {
            return ImageManifest.parse(content);
        } catch (RecastException e) {
            return null;
        }
    }
}
