package dev.recast.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks an image copied out with skopeo's {@code dir:} transport (blobs named by their hex digest) with the system's
 * tools: every layer's bytes are what its media type says, and the tool that type names ({@code gzip -dc},
 * {@code zstd -dc}, or none) turns them into the config's diff_id.
 */
public final class TruthfulLayers {
    private TruthfulLayers() {
    }

    /** @return the layers' media types, in order */
    public static List<String> assertTruthful(Path dir, JsonNode manifest) {
        JsonNode config = LayoutImages.readJson(blob(dir, manifest.path("config").path("digest").asText()));
        JsonNode diffIds = config.path("rootfs").path("diff_ids");
        JsonNode layers = manifest.path("layers");
        assertEquals(diffIds.size(), layers.size(), "one diff_id per layer");
        assertTrue(layers.size() > 0, "the image has layers");
        for (int i = 0; i < layers.size(); i++) {
            String type = layers.get(i).path("mediaType").asText();
            Path blob = blob(dir, layers.get(i).path("digest").asText());
            String tool = type.endsWith("gzip") ? "gzip" : type.endsWith("zstd") ? "zstd" : null;
            assertEquals(tool, magic(blob), "layer " + i + " (" + type + ") holds other bytes than its type says");
            String command = (tool == null ? "cat " : tool + " -dc < ") + blob + " | sha256sum";
            String sum = ExternalTools.check("sh", "-c", command).split(" ")[0];
            assertEquals(diffIds.get(i).asText(), "sha256:" + sum, "layer " + i + " decompressed with " + tool);
        }
        return java.util.stream.StreamSupport.stream(layers.spliterator(), false)
                .map(layer -> layer.path("mediaType").asText()).toList();
    }

    public static Path blob(Path dir, String digest) {
        return dir.resolve(digest.substring(digest.indexOf(':') + 1));
    }

    private static String magic(Path blob) {
        try (InputStream in = Files.newInputStream(blob)) {
            byte[] head = in.readNBytes(4);
            if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
                return "gzip";
            }
            if (head.length == 4 && (head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5
                    && (head[2] & 0xff) == 0x2f && (head[3] & 0xff) == 0xfd) {
                return "zstd";
            }
            return null;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
