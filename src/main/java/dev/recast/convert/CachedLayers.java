package dev.recast.convert;

import dev.recast.model.Content;
import dev.recast.RecastException;
import dev.recast.model.Compression;
import dev.recast.model.Descriptor;
import dev.recast.model.Digest;
import dev.recast.model.MediaType;
import dev.recast.registry.store.ImageStore;
import org.jboss.logging.Logger;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * The layer cache as one run uses it: before a layer is recompressed, an entry for it (in memory, else in the cache
 * repository) whose blob is still there and whose diff_id is the config's lets the blob be mounted (or copied from a
 * cache on another registry) instead; after a
 * layer is recompressed, its entry is written. The cache only ever saves work: a failed lookup or write is logged
 * (debug) and the run goes on as without a cache.
 */
final class CachedLayers {
    private static final Logger LOG = Logger.getLogger(CachedLayers.class);

    private final ConversionRun run;
    private final LayerCache cache;
    private final ImageStore store;
    private final LayerRecompressor checker;
    private final boolean verify;
    private boolean emptyConfigStored;

    /**
     * @param store  the cache repository's store, or null for a run without cache
     * @param verify whether an entry read from the registry is unpacked and checked before its first use here
     */
    CachedLayers(ConversionRun run, LayerCache cache, ImageStore store, boolean verify) {
        this.run = run;
        this.cache = cache;
        this.store = store;
        this.verify = verify;
        this.checker = new LayerRecompressor(run.limits().layerBytes(), run.limits().expansionRatio());
    }

    /** The layer made present in the target from an earlier conversion, or empty: then it is to be recompressed. */
    Optional<LayerOutcome> reuse(Descriptor layer, Digest diffId) {
        if (store == null) {
            return Optional.empty();
        }
        LayerCacheKey key = LayerCacheKey.of(layer.digest(), run.options());
        Optional<LayerCacheEntry> entry;
        try {
            Optional<LayerCacheEntry> remembered = cache.recall(store.name(), key, verify);
            entry = remembered.or(() -> store.findManifest(key.tag())
                    .flatMap(stored -> LayerCacheEntry.read(stored, key)));
            if (entry.isEmpty() || !entry.get().diffId().equals(diffId)) {
                return Optional.empty();
            }
            if (!store.hasBlob(entry.get().converted().digest())) {
                cache.forget(store.name(), key);
                run.report().note("layer cache entry " + store.name() + ":" + key.tag() + " names a blob that is gone: "
                        + "layer " + layer.digest() + " recompressed and the entry written again");
                return Optional.empty();
            }
            // an entry read from the registry is anyone's who can push there: verifying (the operator's choice, or a
            // cache not both in the target registry and chosen by the operator), its blob must really unpack to the
            // layer's diff_id (one read and one decompression); else the entry is trusted as far as the cache
            // repository's writers are (docs/layer-cache.md), the blob's bytes by their digest, which the registry checked
            // whatever the trust, its first bytes must be the compression the entry (and so the manifest) claims
            if (remembered.isEmpty() && !startsAs(entry.get().converted(), key.compression())) {
                run.report().note("layer cache entry " + store.name() + ":" + key.tag() + " names a blob that is not "
                        + key.compression().label() + ": ignored, layer " + layer.digest() + " recompressed");
                return Optional.empty();
            }
            if (remembered.isEmpty() && verify && !unpacksTo(entry.get().converted(), diffId)) {
                run.report().note("layer cache entry " + store.name() + ":" + key.tag() + " names a blob that does not "
                        + "unpack to " + diffId + ": ignored, layer " + layer.digest() + " recompressed");
                return Optional.empty();
            }
        } catch (RecastException e) {
            LOG.debugf("layer cache lookup of %s in %s failed, recompressing: %s", layer.digest(), store.name(),
                    e.getMessage());
            return Optional.empty();
        }
        Descriptor converted = entry.get().converted();
        String how = "mounted";
        if (!run.target().mountBlob(converted, store)) {
            copy(converted, store, run.target());
            how = "copied";
        }
        cache.remember(store.name(), entry.get(), verify);
        return Optional.of(new LayerOutcome(LayerAction.REUSED, MediaType.ociLayer(key.compression()), converted.digest(),
                converted.size(), 0, "converted earlier: " + how + " from " + store.name() + ":" + key.tag()));
    }

    private boolean startsAs(Descriptor converted, Compression wanted) {
        Compression stream = wanted == Compression.ZSTD_CHUNKED ? Compression.ZSTD : wanted;
        try {
            return LayerContent.head(run.cancellation().guard(store.openBlob(converted))) == stream;
        } catch (IOException | RecastException e) {
            LOG.debugf("layer cache blob %s in %s could not be read: %s", converted.digest(), store.name(),
                    e.getMessage());
            return false;
        }
    }

    private boolean unpacksTo(Descriptor converted, Digest diffId) {
        try (BufferedInputStream blob = new BufferedInputStream(run.cancellation().guard(store.openBlob(converted)),
                1 << 16)) {
            Compression compression = LayerRecompressor.sniff(blob);
            return checker.unpack(blob, compression, new StageThreads(run.cancellation(), converted.digest().toString()))
                    .diffId().equals(diffId);
        } catch (IOException | RecastException e) {
            LOG.debugf("layer cache blob %s in %s could not be checked: %s", converted.digest(), store.name(),
                    e.getMessage());
            return false;
        }
    }

    /** Remembers that {@code layer} (whose tar is {@code diffId}) became {@code converted}, now in the target. */
    void record(Descriptor layer, Digest diffId, Descriptor converted) {
        if (store == null) {
            return;
        }
        LayerCacheEntry entry = new LayerCacheEntry(LayerCacheKey.of(layer.digest(), run.options()), converted, diffId);
        try {
            // the entry's layer must be in the cache repository for the registry to accept (and keep) it: mounted
            // from the target, or copied when the cache is on another registry (or mounts are declined)
            if (!store.mountBlob(converted, run.target()) && !store.hasBlob(converted.digest())) {
                copy(converted, run.target(), store);
            }
            storeEmptyConfig();
            store.tag(entry.key().tag(), entry.manifest());
            cache.remember(store.name(), entry, true);
        } catch (RuntimeException e) {
            // e.g. the cache repository is outside recast.registries.writable (FORBIDDEN) or the registry failed
            LOG.debugf("layer cache entry for %s not written to %s: %s", layer.digest(), store.name(), e.getMessage());
        }
    }

    /**
     * The entries' config, uploaded once per run: layer workers racing to upload the same blob could make the
     * registry refuse one of them, and lose that entry.
     */
    private synchronized void storeEmptyConfig() {
        if (!emptyConfigStored) {
            store.putIfAbsent(Content.OCI_EMPTY);
            emptyConfigStored = true;
        }
    }

    /**
     * A cache on another registry, or a registry that declines mounts, still saves the recompression: the converted
     * blob is copied, digest-checked.
     */
    private void copy(Descriptor converted, ImageStore from, ImageStore to) {
        try (InputStream in = run.cancellation().guard(from.openBlob(converted))) {
            to.putBlob(converted, in);
            run.report().read(converted.size());
            run.report().wrote(converted.size());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
