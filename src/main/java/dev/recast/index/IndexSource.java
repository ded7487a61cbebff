package dev.recast.index;

import dev.recast.model.Platform;
import dev.recast.registry.reference.ImageReference;

/**
 * One input of an index: an image or a list/index (whose entries are merged).
 *
 * @param platform the caller's platform for a single image, or null to read it from the image config
 */
public record IndexSource(ImageReference reference, Platform platform) {

    public IndexSource(ImageReference reference) {
        this(reference, null);
    }
}
