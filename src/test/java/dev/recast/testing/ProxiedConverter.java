package dev.recast.testing;

import dev.recast.convert.ImageConverter;
import dev.recast.registry.ImageStores;
import dev.recast.registry.reference.ImageReference;

/**
 * A converter that reaches the plain lab registry through a {@link FaultProxy} with its quick settings (3 layers at
 * once, default limits); closed in the order it was opened, converter first. Tests hold it in an {@code @AutoClose}
 * field.
 */
public final class ProxiedConverter implements AutoCloseable {
    public final LabRegistry lab = LabRegistry.plain();
    public final FaultProxy proxy = new FaultProxy(lab.host());
    public final ImageStores stores = new ImageStores(proxy.quickSettings());
    public final ImageConverter converter = new ImageConverter(stores, 3, ImageConverter.Limits.DEFAULT);

    /** {@code repositoryAndTag} on the proxy. */
    public ImageReference ref(String repositoryAndTag) {
        return ImageReference.parse(proxy.host() + "/" + repositoryAndTag);
    }

    @Override
    public void close() {
        converter.close();
        stores.close();
        proxy.close();
    }
}
