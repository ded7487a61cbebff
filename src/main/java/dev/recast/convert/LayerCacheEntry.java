package dev.recast.convert;

import dev.recast.model.Content;
import dev.recast.model.Descriptor;
import dev.recast.model.Digest;
import dev.recast.model.ImageManifest;
import dev.recast.model.Manifest;
import dev.recast.model.MediaType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One remembered conversion of a layer, stored as a small OCI artifact in the cache repository: an image manifest
 * with {@link #ARTIFACT_TYPE}, the empty config, the converted blob as its one layer (so the registry keeps the blob
 * and a mount {@code from} the cache repository works) and the mapping in its annotations (one GET reads it all).
 *
 * @param converted the converted blob (its media type, digest and size)
 * @param diffId    the digest of the tar both blobs hold
 */
record LayerCacheEntry(LayerCacheKey key, Descriptor converted, Digest diffId) {
    static final String ARTIFACT_TYPE = "application/vnd.dev.recast.layer-cache.v1+json";

    private static final String PREFIX = "dev.recast.layer-cache.";
    private static final String SOURCE = PREFIX + "source-digest";
    private static final String COMPRESSION = PREFIX + "compression";
    private static final String LEVEL = PREFIX + "level";
    private static final String CODEC = PREFIX + "codec";
    private static final String DIFF_ID = PREFIX + "diff-id";

    Content manifest() {
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(SOURCE, key.source().toString());
        annotations.put(COMPRESSION, key.compression().label());
        annotations.put(LEVEL, String.valueOf(key.level()));
        annotations.put(CODEC, key.codec());
        annotations.put(DIFF_ID, diffId.toString());
        return Manifest.create(MediaType.OCI_MANIFEST, ARTIFACT_TYPE, Content.OCI_EMPTY.descriptor(), List.of(converted), null, annotations)
                .content();
    }

    /** True for Recast's own cache artifacts, which are never images to convert. */
    static boolean isEntry(ImageManifest manifest) {
        return manifest instanceof Manifest m && ARTIFACT_TYPE.equals(m.artifactType());
    }

    /** The entry a cache manifest holds for {@code key}; empty when it is not one, or is for another key. */
    static Optional<LayerCacheEntry> read(Content stored, LayerCacheKey key) {
        ImageManifest parsed;
        try {
            parsed = ImageManifest.parse(stored);
        } catch (RuntimeException notOurs) {
            return Optional.empty();
        }
        if (!isEntry(parsed) || ((Manifest) parsed).layers().size() != 1) {
            return Optional.empty();
        }
        Manifest manifest = (Manifest) parsed;
        Map<String, String> a = manifest.annotations();
        Descriptor converted = manifest.layers().getFirst();
        boolean sameKey = key.source().toString().equals(a.get(SOURCE))
                && key.compression().label().equals(a.get(COMPRESSION))
                && String.valueOf(key.level()).equals(a.get(LEVEL)) && key.codec().equals(a.get(CODEC));
        if (!sameKey || !Digest.isDigest(a.getOrDefault(DIFF_ID, ""))
                || converted.mediaType().layerCompression() != key.compression()) {
            return Optional.empty();
        }
        return Optional.of(new LayerCacheEntry(key, converted, Digest.parse(a.get(DIFF_ID))));
    }
}
