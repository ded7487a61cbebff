package dev.recast.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reads images out of OCI layouts with plain JSON (not the engine's parsers) and checks converted images with
 * external tools: skopeo reads them, zstd/gzip decompress every layer to its diff_id, and the unpacked trees match.
 */
public final class LayoutImages {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LayoutImages() {
    }

    public static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path blob(Path layout, String digest) {
        return layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
    }

    /** The digest index.json gives a tag, or null. */
    public static String taggedDigest(Path layout, String tag) {
        if (!Files.exists(layout.resolve("index.json"))) {
            return null;
        }
        String found = null;
        for (JsonNode entry : readJson(layout.resolve("index.json")).path("manifests")) {
            if (tag.equals(entry.path("annotations").path("org.opencontainers.image.ref.name").asText(null))) {
                found = entry.path("digest").asText();
            }
        }
        return found;
    }

    public static JsonNode manifest(Path layout, String digest) {
        return readJson(blob(layout, digest));
    }

    /** The unpacked file tree of an image manifest, each layer decompressed by the system's gzip or zstd. */
    public static RootfsTree unpack(JsonNode manifest, Function<String, Path> blobs) {
        RootfsTree tree = new RootfsTree();
        for (JsonNode layer : manifest.path("layers")) {
            ExternalTools.decompress(blobs.apply(layer.path("digest").asText()), tree::apply);
        }
        return tree;
    }

    public static RootfsTree unpack(Path layout, JsonNode manifest) {
        return unpack(manifest, digest -> blob(layout, digest));
    }

    /** Checks a converted single image in an OCI layout against its source in another layout. */
    public static void assertFaithfulConversion(Path sourceLayout, String sourceDigest, Path targetLayout,
                                                String targetDigest, String expectedLayerType) {
        assertFaithfulConversion(manifest(sourceLayout, sourceDigest), digest -> blob(sourceLayout, digest),
                manifest(targetLayout, targetDigest), digest -> blob(targetLayout, digest), expectedLayerType);
    }

    /**
     * Checks a converted single image against its source: OCI media types, the expected layer type, the same
     * config bytes, every layer decompressing to its diff_id, and the same unpacked tree.
     */
    public static void assertFaithfulConversion(JsonNode source, Function<String, Path> sourceBlobs, JsonNode target,
                                                Function<String, Path> targetBlobs, String expectedLayerType) {
        assertEquals("application/vnd.oci.image.manifest.v1+json", target.path("mediaType").asText());
        assertEquals("application/vnd.oci.image.config.v1+json", target.path("config").path("mediaType").asText());
        assertEquals(source.path("config").path("digest").asText(), target.path("config").path("digest").asText(),
                "config bytes (image ID) must not change");
        JsonNode config = readJson(targetBlobs.apply(target.path("config").path("digest").asText()));
        List<String> diffIds = new ArrayList<>();
        config.path("rootfs").path("diff_ids").forEach(d -> diffIds.add(d.asText()));
        JsonNode layers = target.path("layers");
        assertEquals(diffIds.size(), layers.size());
        for (int i = 0; i < layers.size(); i++) {
            assertEquals(expectedLayerType, layers.get(i).path("mediaType").asText(), "layer " + i + " type");
            Path blob = targetBlobs.apply(layers.get(i).path("digest").asText());
            assertTrue(Files.exists(blob), "layer " + i + " blob is stored");
            assertEquals(diffIds.get(i), ExternalTools.decompressedSha256(blob), "layer " + i + " decompresses to its diff_id");
        }
        assertEquals(unpack(source, sourceBlobs).entries(), unpack(target, targetBlobs).entries(), "unpacked file trees");
    }

    /** skopeo must inspect the tag and copy the whole image (all platforms) to a fresh layout. */
    public static void assertSkopeoReads(Path layout, String tag, Path scratch) {
        String raw = ExternalTools.check("skopeo", "inspect", "--raw", "oci:" + layout + ":" + tag);
        assertTrue(raw.contains("application/vnd.oci.image."), raw);
        ExternalTools.check("skopeo", "copy", "-q", "--all", "oci:" + layout + ":" + tag, "oci:" + scratch + ":copy");
        assertEquals(taggedDigest(layout, tag), taggedDigest(scratch, "copy"), "skopeo copies the same digest");
    }
}
