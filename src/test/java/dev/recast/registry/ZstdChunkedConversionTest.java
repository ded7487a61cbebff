package dev.recast.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recast.convert.ConversionOptions;
import dev.recast.convert.ConversionReport;
import dev.recast.convert.ImageConverter;
import dev.recast.convert.RecastAnnotations;
import dev.recast.model.Compression;
import dev.recast.registry.http.RegistrySettings;
import dev.recast.registry.reference.ImageReference;
import dev.recast.testing.LabRegistry;
import dev.recast.testing.LayoutImages;
import dev.recast.testing.ZstdChunkedBlob;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPInputStream;

import static dev.recast.testing.RegistryImages.ZSTD;
import static dev.recast.testing.RegistryImages.rawManifest;
import static dev.recast.testing.RegistryImages.skopeoCopyAsIs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * zstd:chunked through a real registry: the manifest skopeo reads back carries each layer's TOC annotations, and every
 * layer blob, copied out by skopeo (digest-checked), is a valid zstd:chunked blob of the source layer's exact tar.
 */
@Tag("registry")
class ZstdChunkedConversionTest {
    private static final ConversionOptions CHUNKED = new ConversionOptions(Compression.ZSTD_CHUNKED, null, List.of(),
            false);

    @TempDir
    Path tmp;

    private final ImageStores stores = new ImageStores(RegistrySettings.defaults());
    private final ImageConverter converter = new ImageConverter(stores, 3, ImageConverter.Limits.DEFAULT);

    @AfterEach
    void close() {
        converter.close();
        stores.close();
    }

    private ConversionReport convert(LabRegistry lab, String source, String target, ConversionOptions options) {
        return converter.convert(ImageReference.parse(lab.ref(source)), ImageReference.parse(lab.ref(target)), options);
    }

    @Test
    void everyLayerIsAChunkedBlobOfItsSourceTar() throws IOException {
        LabRegistry lab = LabRegistry.plain();
        String target = "fixtures/hello:chunked-" + UUID.randomUUID().toString().substring(0, 8);

        ConversionReport report = convert(lab, "fixtures/hello:v2s2", target, CHUNKED);

        assertEquals(ConversionReport.Outcome.CONVERTED, report.outcome());
        JsonNode manifest = rawManifest(lab, target);
        assertEquals("zstd:chunked:3", manifest.path("annotations").path(RecastAnnotations.CONVERSION).asText());
        Path source = skopeoCopyAsIs(lab, "fixtures/hello:v2s2", tmp.resolve("source"));
        Path result = skopeoCopyAsIs(lab, target, tmp.resolve("result"));
        JsonNode sourceManifest = LayoutImages.readJson(source.resolve("manifest.json"));
        JsonNode config = LayoutImages.readJson(result.resolve(hex(manifest.path("config").path("digest").asText())));
        assertEquals(3, manifest.path("layers").size());
        for (int i = 0; i < 3; i++) {
            JsonNode layer = manifest.path("layers").get(i);
            assertEquals(ZSTD, layer.path("mediaType").asText());
            byte[] tar;
            try (InputStream gzip = new GZIPInputStream(Files.newInputStream(
                    source.resolve(hex(sourceManifest.path("layers").get(i).path("digest").asText()))))) {
                tar = gzip.readAllBytes();
            }
            assertEquals(config.path("rootfs").path("diff_ids").get(i).asText(), ZstdChunkedBlob.sha256(tar));
            byte[] blob = Files.readAllBytes(result.resolve(hex(layer.path("digest").asText())));
            List<JsonNode> toc = ZstdChunkedBlob.verify(blob, annotations(layer), tar, tmp);
            assertFalse(toc.isEmpty(), "layer " + i + " lists its files");
        }
        ConversionReport rerun = convert(lab, "fixtures/hello:v2s2", target, CHUNKED);
        assertEquals(ConversionReport.Outcome.ALREADY_CONVERTED, rerun.outcome());
        assertEquals(report.targetDigest(), rerun.targetDigest());
    }

    @Test
    void aChunkedImageConvertedToGzipLosesItsTocAnnotations() {
        LabRegistry lab = LabRegistry.plain();
        String chunked = "fixtures/hello:chunked-" + UUID.randomUUID().toString().substring(0, 8);
        convert(lab, "fixtures/hello:v2s2", chunked, CHUNKED);

        String gzip = chunked + "-gzip";
        convert(lab, chunked, gzip, new ConversionOptions(Compression.GZIP, null, List.of(), false));

        JsonNode layers = rawManifest(lab, gzip).path("layers");
        assertEquals(3, layers.size());
        layers.forEach(layer -> {
            assertEquals("application/vnd.oci.image.layer.v1.tar+gzip", layer.path("mediaType").asText());
            assertTrue(annotations(layer).keySet().stream().noneMatch(k -> k.contains("zstd-chunked")), layer.toString());
        });
    }

    private static Map<String, String> annotations(JsonNode layer) {
        Map<String, String> result = new HashMap<>();
        layer.path("annotations").properties().forEach(e -> result.put(e.getKey(), e.getValue().asText()));
        return result;
    }

    private static String hex(String digest) {
        return digest.substring("sha256:".length());
    }
}
