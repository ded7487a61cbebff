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
 * target registry, or one repository of another registry named {@code HOST/REPOSITORY} (Recast itself keeps no state),
 * with a small in-process memory of recent entries in front of it. Layout targets use no cache.
 * <p>
 * How far an entry read from the registry is trusted is {@link #verifies()}: see docs/layer-cache.md.
 */
public final class LayerCache {
    /** No cache: every layer is converted. */
    public static final LayerCache NONE = new LayerCache(null, 0, false);
    /** How many recent entries an engine keeps in memory by default. */
    public static final int MEMORY = 1024;

    private final String repository;
    private final Map<String, Remembered> recent;
    private final boolean verify;

    private LayerCache(String repository, int memory, boolean verify) {
        this.repository = repository;
        this.verify = verify;
        this.recent = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Remembered> eldest) {
                return size() > memory;
            }
        });
    }

    /** A cache kept in {@code repository} (e.g. {@code recast-cache}) of each target registry, entries trusted. */
    public static LayerCache inRepository(String repository, int memory) {
        return inRepository(repository, memory, false);
    }

    /**
     * A cache kept in {@code repository}: a repository of each target registry ({@code recast-cache}) or of one
     * registry ({@code HOST[:PORT]/REPOSITORY}). With {@code verify}, the blob of an entry read from the registry is
     * unpacked and checked against the layer's diff_id before its first use in this process.
     */
    public static LayerCache inRepository(String repository, int memory, boolean verify) {
        cacheReference(repository, "localhost"); // refuses an invalid repository name now
        return new LayerCache(repository, memory, verify);
    }

    /** Whether an entry read from the registry is checked by unpacking its blob, not trusted as written. */
    public boolean verifies() {
        return verify;
    }

    /**
     * Whether entries read for {@code target}, with the cache {@code choice} asks for, must be unpacked and checked
     * before their first use: always when the operator asked, and whatever was asked when the repository is not the
     * operator's own choice (a request named it) or not in the target registry: its writers are then not the target's.
     */
    boolean verifiesFor(ImageReference target, CacheChoice choice) {
        boolean chosenByRequest = choice.repository() != null && !choice.repository().equals(repository);
        if (verify || chosenByRequest || repository == null || !(target instanceof RegistryReference registry)) {
            return verify || chosenByRequest;
        }
        return !cacheReference(repository, registry.registry()).registry().equals(registry.registry());
    }

    /**
     * Where {@code repository} is for a target on {@code targetRegistry}: on that registry, unless it names its own
     * registry first ({@code HOST/...}, the host with a dot or a port, or {@code localhost}, as image references do).
     */
    static RegistryReference cacheReference(String repository, String targetRegistry) {
        int slash = repository.indexOf('/');
        String first = slash < 0 ? "" : repository.substring(0, slash);
        boolean host = first.contains(".") || first.contains(":") || first.equals("localhost") || first.startsWith("[");
        return host ? new RegistryReference(first, repository.substring(slash + 1), null, null)
                : new RegistryReference(targetRegistry, repository, null, null);
    }

    /** The cache repository, or null when there is no cache. */
    public String repository() {
        return repository;
    }

    /**
     * The cache repository's store for {@code target}, as {@code choice} asks; empty for layouts, when the choice or
     * this engine has no cache, and when the target is the cache repository itself.
     */
    Optional<ImageStore> repositoryFor(ImageReference target, CacheChoice choice, StoreFactory stores) {
        String chosen = choice.repository() != null ? choice.repository() : repository;
        if (repository == null || !choice.enabled() || !(target instanceof RegistryReference registry)) {
            return Optional.empty();
        }
        RegistryReference cache = cacheReference(chosen, registry.registry());
        if (cache.registry().equals(registry.registry()) && cache.repository().equals(registry.repository())) {
            return Optional.empty();
        }
        return Optional.of(stores.open(cache));
    }

    /** An entry this process used; {@code verified}: written by it, or its blob unpacked to its diff_id. */
    private record Remembered(LayerCacheEntry entry, boolean verified) {
    }

    /** A recent entry; with {@code verified}, only one this process wrote or checked (else it is read and checked). */
    Optional<LayerCacheEntry> recall(String cacheStore, LayerCacheKey key, boolean verified) {
        return Optional.ofNullable(recent.get(cacheStore + "|" + key.tag()))
                .filter(r -> r.verified() || !verified).map(Remembered::entry);
    }

    void remember(String cacheStore, LayerCacheEntry entry, boolean verified) {
        recent.merge(cacheStore + "|" + entry.key().tag(), new Remembered(entry, verified), (was, now) ->
                was.entry().equals(now.entry()) && was.verified() ? was : now);
    }

    void forget(String cacheStore, LayerCacheKey key) {
        recent.remove(cacheStore + "|" + key.tag());
    }
}
