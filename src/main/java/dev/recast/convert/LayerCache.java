package dev.recast.convert;

import dev.recast.registry.reference.ImageReference;
import dev.recast.registry.reference.RegistryReference;
import dev.recast.registry.store.ImageStore;
import dev.recast.registry.store.StoreFactory;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where converted layers are remembered, so that a layer is recompressed once per registry: a repository of each
 * target registry (Recast itself keeps no state), with a small in-process memory of recent entries in front of it.
 * Layout targets use no cache.
 */
public final class LayerCache {
    /** No cache: every layer is converted. */
    public static final LayerCache NONE = new LayerCache(null, 0);
    /** How many recent entries an engine keeps in memory by default. */
    public static final int MEMORY = 1024;

    private final String repository;
    private final Map<String, LayerCacheEntry> recent;

    private LayerCache(String repository, int memory) {
        this.repository = repository;
        this.recent = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, LayerCacheEntry> eldest) {
                return size() > memory;
            }
        });
    }

    /** A cache kept in {@code repository} (e.g. {@code recast-cache}) of each target registry. */
    public static LayerCache inRepository(String repository, int memory) {
        new RegistryReference("localhost", repository, null, null); // refuses an invalid repository name now
        return new LayerCache(repository, memory);
    }

    /** The cache repository, or null when there is no cache. */
    public String repository() {
        return repository;
    }

    /**
     * The cache repository's store beside {@code target} (same registry), as {@code choice} asks; empty for layouts,
     * when the choice or this engine has no cache, and when the target is the cache repository itself.
     */
    Optional<ImageStore> repositoryFor(ImageReference target, CacheChoice choice, StoreFactory stores) {
        String chosen = choice.repository() != null ? choice.repository() : repository;
        if (repository == null || !choice.enabled() || !(target instanceof RegistryReference registry)
                || registry.repository().equals(chosen)) {
            return Optional.empty();
        }
        return Optional.of(stores.open(new RegistryReference(registry.registry(), chosen, null, null)));
    }

    Optional<LayerCacheEntry> recall(String cacheStore, LayerCacheKey key) {
        return Optional.ofNullable(recent.get(cacheStore + "|" + key.tag()));
    }

    void remember(String cacheStore, LayerCacheEntry entry) {
        recent.put(cacheStore + "|" + entry.key().tag(), entry);
    }

    void forget(String cacheStore, LayerCacheKey key) {
        recent.remove(cacheStore + "|" + key.tag());
    }
}
