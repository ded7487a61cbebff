package dev.recast.service;

import dev.recast.convert.ImageConverter;
import dev.recast.index.IndexBuilder;
import dev.recast.inspect.ImageInspector;
import dev.recast.registry.ImageStores;

/** The engine's parts, sharing one set of stores: built by {@link EngineBuilder}, closed together. */
public record Engine(ImageStores stores, ImageConverter converter, IndexBuilder indexBuilder, ImageInspector inspector)
        implements AutoCloseable {

    @Override
    public void close() {
        converter.close();
        stores.close();
    }
}
