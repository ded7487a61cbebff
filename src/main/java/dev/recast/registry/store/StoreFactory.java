package dev.recast.registry.store;

import dev.recast.registry.reference.ImageReference;

/** Opens the store an image reference lives in. */
@FunctionalInterface
public interface StoreFactory {
    ImageStore open(ImageReference reference);
}
