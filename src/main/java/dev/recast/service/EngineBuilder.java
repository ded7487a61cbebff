package dev.recast.service;

import dev.recast.convert.ImageConverter;
import dev.recast.convert.LayerCache;
import dev.recast.index.IndexBuilder;
import dev.recast.inspect.ImageInspector;
import dev.recast.registry.ImageStores;
import dev.recast.registry.http.RegistrySettings;
import dev.recast.registry.http.WritableRepositories;

/**
 * The one way an {@link Engine} is put together, whoever runs it: the CLI from its arguments, the service (and the
 * Lambda, which runs the service) from {@link RecastConfig}. What is not set keeps the CLI's defaults.
 */
public final class EngineBuilder {
    public static final String DEFAULT_CACHE_REPOSITORY = "recast-cache";
    private RegistrySettings registries = RegistrySettings.defaults();
    private WritableRepositories writable = WritableRepositories.ANY;
    // one layer more than cores: a layer waiting on its upload leaves a core to the others
    private int layerParallelism = Runtime.getRuntime().availableProcessors() + 1;
    private ImageConverter.Limits limits = ImageConverter.Limits.DEFAULT;
    private String cacheRepository = DEFAULT_CACHE_REPOSITORY;
    private boolean cacheVerify;

    public EngineBuilder registries(RegistrySettings settings) {
        this.registries = settings;
        return this;
    }

    /** The repositories writes may go to; by default any the host policy allows. */
    public EngineBuilder writable(WritableRepositories repositories) {
        this.writable = repositories;
        return this;
    }

    /** How many layers convert at once. */
    public EngineBuilder layerParallelism(int layers) {
        this.layerParallelism = layers;
        return this;
    }

    public EngineBuilder limits(ImageConverter.Limits value) {
        this.limits = value;
        return this;
    }

    /** The repository of each target registry that keeps the layer cache; null turns the cache off. */
    public EngineBuilder cacheRepository(String repository) {
        this.cacheRepository = repository;
        return this;
    }

    /** Whether a layer cache entry read from the registry is checked by unpacking its blob (see {@link LayerCache}). */
    public EngineBuilder cacheVerify(boolean verify) {
        this.cacheVerify = verify;
        return this;
    }

    public Engine build() {
        ImageStores stores = new ImageStores(registries, writable);
        ImageConverter converter = new ImageConverter(stores, layerParallelism, limits,
                cacheRepository == null ? LayerCache.NONE : LayerCache.inRepository(cacheRepository, LayerCache.MEMORY, cacheVerify));
        return new Engine(stores, converter, new IndexBuilder(stores, converter, limits.configBytes()),
                new ImageInspector(stores, limits));
    }
}
