package dev.recast.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recast.RecastException;
import dev.recast.model.Compression;
import dev.recast.model.Content;
import dev.recast.model.Descriptor;
import dev.recast.model.Digest;
import dev.recast.model.ImageManifest;
import dev.recast.model.MediaType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cache's tags and artifacts, without a registry. */
class LayerCacheEntryTest {
    private static final Digest SOURCE = Digest.sha256("source layer".getBytes(StandardCharsets.UTF_8));
    private static final Digest DIFF_ID = Digest.sha256("tar".getBytes(StandardCharsets.UTF_8));
    private static final Descriptor CONVERTED = new Descriptor(MediaType.OCI_LAYER_ZSTD,
            Digest.sha256("zstd".getBytes(StandardCharsets.UTF_8)), 1234);

    private static LayerCacheKey key(Compression compression, Integer level) {
        return LayerCacheKey.of(SOURCE, new ConversionOptions(compression, level, List.of(), false));
    }

    @Test
    void tagsAreValidTagsNamingTheWholeDigestAndEveryOption() {
        LayerCacheKey zstd3 = key(Compression.ZSTD, null);
        String tag = zstd3.tag();
        assertTrue(tag.matches("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}"), tag);
        assertTrue(tag.startsWith("sha256-" + SOURCE.hex() + "-zstd-3-zstdjni"), tag);
        Set<String> tags = List.of(zstd3, key(Compression.ZSTD, 19), key(Compression.GZIP, null), key(Compression.GZIP, 9),
                key(Compression.NONE, null)).stream().map(LayerCacheKey::tag).collect(Collectors.toSet());
        assertEquals(5, tags.size(), tags.toString());
        Digest sha512 = new Digest("sha512", "ab".repeat(64));
        String long_ = new LayerCacheKey(sha512, Compression.ZSTD, 22, LayerCacheKey.codec(Compression.ZSTD)).tag();
        assertTrue(long_.matches("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}"), long_);
    }

    @Test
    void anEntryIsAnArtifactWithTheBlobAsItsLayerAndTheMappingInItsAnnotations() throws Exception {
        LayerCacheKey key = key(Compression.ZSTD, null);
        Content manifest = new LayerCacheEntry(key, CONVERTED, DIFF_ID).manifest();
        JsonNode json = new ObjectMapper().readTree(manifest.bytes());
        assertEquals(LayerCacheEntry.ARTIFACT_TYPE, json.path("artifactType").asText());
        assertEquals("application/vnd.oci.empty.v1+json", json.path("config").path("mediaType").asText());
        assertEquals(CONVERTED.digest().toString(), json.path("layers").get(0).path("digest").asText());
        assertEquals(DIFF_ID.toString(), json.path("annotations").path("dev.recast.layer-cache.diff-id").asText());
        assertEquals(SOURCE.toString(), json.path("annotations").path("dev.recast.layer-cache.source-digest").asText());

        assertEquals(new LayerCacheEntry(key, CONVERTED, DIFF_ID), LayerCacheEntry.read(manifest, key).orElseThrow());
        assertTrue(LayerCacheEntry.isEntry(ImageManifest.parse(manifest)));
        assertTrue(LayerCacheEntry.read(manifest, key(Compression.ZSTD, 4)).isEmpty(), "another level's tag");
        assertTrue(LayerCacheEntry.read(manifest, new LayerCacheKey(SOURCE, Compression.ZSTD, 3, "zstdjni0.1")).isEmpty(),
                "another codec's tag");
    }

    @Test
    void whatIsNotAnEntryIsNoEntry() {
        LayerCacheKey key = key(Compression.ZSTD, null);
        Content image = dev.recast.model.Manifest.create(MediaType.OCI_MANIFEST, null,
                new Descriptor(MediaType.OCI_CONFIG, DIFF_ID, 10), List.of(CONVERTED), null, null).content();
        assertTrue(LayerCacheEntry.read(image, key).isEmpty());
        assertFalse(LayerCacheEntry.isEntry(ImageManifest.parse(image)));
        assertTrue(LayerCacheEntry.read(Content.of(MediaType.OCI_MANIFEST, "not json".getBytes(StandardCharsets.UTF_8)), key)
                .isEmpty());
        // a gzip blob never answers for zstd, whatever its annotations say
        Content wrongType = new LayerCacheEntry(key, CONVERTED.withMediaType(MediaType.OCI_LAYER_GZIP), DIFF_ID).manifest();
        assertTrue(LayerCacheEntry.read(wrongType, key).isEmpty());
    }

    @Test
    void anInvalidCacheRepositoryIsRefusedAtOnce() {
        assertThrows(RecastException.class, () -> LayerCache.inRepository("Not A Repository", 8));
        assertEquals("team/cache", LayerCache.inRepository("team/cache", 8).repository());
    }
}
