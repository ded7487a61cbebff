package dev.recast.registry;

import dev.recast.ErrorKind;
import dev.recast.RecastException;

/** Opens the store for each kind of reference. */
public final class ImageStores implements StoreFactory {
    private final long manifestLimit;

    public ImageStores(long manifestLimit) {
        this.manifestLimit = manifestLimit;
    }

    @Override
    public ImageStore open(ImageReference reference) {
        return switch (reference) {
            case LayoutReference layout -> new OciLayoutStore(layout.directory(), manifestLimit);
            case RegistryReference registry -> throw new RecastException(ErrorKind.UNSUPPORTED,
                    "registry references such as " + registry + " are not supported yet: use oci:DIR[:TAG]");
        };
    }
}
