package dev.recast.registry;

/** Opens the store an image reference lives in. */
@FunctionalInterface
public interface StoreFactory {
    ImageStore open(ImageReference reference);
}
