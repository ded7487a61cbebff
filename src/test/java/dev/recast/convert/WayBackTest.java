package dev.recast.convert;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.model.Compression;
import dev.recast.model.MediaType;
import dev.recast.registry.ImageStores;
import dev.recast.registry.http.RegistrySettings;
import dev.recast.registry.reference.ImageReference;
import dev.recast.testing.CraftedImages;
import dev.recast.testing.ExternalTools;
import dev.recast.testing.LabRegistry;
import dev.recast.testing.LayoutImages;
import dev.recast.testing.TruthfulLayers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static dev.recast.testing.RegistryImages.rawManifest;
import static dev.recast.testing.RegistryImages.skopeoCopy;
import static dev.recast.testing.RegistryImages.skopeoCopyAsIs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The way back (format v2s2) on a real registry: OCI images and indexes Recast made from the lab's fixtures turned back
 * into Docker v2s2 with gzip layers, checked with skopeo, gzip and sha256sum; what v2s2 cannot carry is refused.
 */
@Tag("registry")
class WayBackTest {
    private static final ConversionOptions BACK = new ConversionOptions(null, null, List.of(), false,
            CacheChoice.ENGINE, ManifestFormat.V2S2);

    @TempDir
    Path tmp;

    private final LabRegistry lab = LabRegistry.plain();
    private final String repository = "wayback-" + UUID.randomUUID().toString().substring(0, 8) + "/app";
    private final ImageStores stores = new ImageStores(RegistrySettings.defaults());
    private final ImageConverter converter = new ImageConverter(stores, 2, ImageConverter.Limits.DEFAULT);

    @AfterEach
    void close() {
        converter.close();
        stores.close();
    }

    private ConversionReport convert(String from, String to, ConversionOptions options) {
        return converter.convert(ImageReference.parse(lab.host() + "/" + from), ImageReference.parse(lab.host() + "/"
                + repository + ":" + to), options);
    }

    @Test
    void aZstdOciImageGoesBackToV2s2WithGzipLayersThatUnpackToItsDiffIds() {
        convert("fixtures/hello:v2s2", "zstd", ConversionOptions.DEFAULT);
        JsonNode zstd = rawManifest(lab, repository + ":zstd");
        assertEquals(MediaType.OCI_MANIFEST.value(), zstd.path("mediaType").asText());

        ConversionReport back = convert(repository + ":zstd", "back", BACK);

        assertEquals(ConversionReport.Outcome.CONVERTED, back.outcome());
        back.images().getFirst().layers().forEach(layer -> {
            assertEquals(LayerAction.RECOMPRESSED, layer.action());
            assertEquals(MediaType.DOCKER_LAYER_GZIP, layer.targetMediaType());
        });
        assertTrue(back.notes().stream().anyMatch(n -> n.contains("annotations left out") && n.contains(
                RecastAnnotations.SOURCE_DIGEST)), back.notes().toString());
        JsonNode raw = rawManifest(lab, repository + ":back");
        assertEquals(MediaType.DOCKER_MANIFEST.value(), raw.path("mediaType").asText());
        assertEquals(MediaType.DOCKER_CONFIG.value(), raw.path("config").path("mediaType").asText());
        assertEquals(zstd.path("config").path("digest"), raw.path("config").path("digest"), "config bytes kept exactly");
        assertFalse(raw.has("annotations"), raw.toString());
        assertEquals(back.targetDigest(), convert(repository + ":zstd", "back", BACK).targetDigest(),
                "a rerun writes the same bytes");

        Path dir = skopeoCopyAsIs(lab, repository + ":back", tmp.resolve("dir"));
        List<String> types = TruthfulLayers.assertTruthful(dir, LayoutImages.readJson(dir.resolve("manifest.json")));
        assertEquals(List.of(MediaType.DOCKER_LAYER_GZIP.value()), types.stream().distinct().toList());

        // any client reads it: skopeo turns it into an OCI layout (all digests checked), gzip layers kept as they are
        Path oci = skopeoCopy(lab, repository + ":back", tmp.resolve("oci"));
        JsonNode copied = LayoutImages.manifest(oci, LayoutImages.taggedDigest(oci, "x"));
        for (int i = 0; i < raw.path("layers").size(); i++) {
            assertEquals(raw.path("layers").get(i).path("digest"), copied.path("layers").get(i).path("digest"));
        }
    }

    @Test
    void skopeoItselfRefusesTheWayBackFromZstd() {
        convert("fixtures/hello:v2s2", "zstd", ConversionOptions.DEFAULT);
        for (List<String> compression : List.of(List.<String>of(), List.of("--dest-compress-format", "gzip"))) {
            List<String> command = new java.util.ArrayList<>(List.of("skopeo", "copy", "-q", "--format", "v2s2",
                    "--src-tls-verify=false", "--dest-tls-verify=false"));
            command.addAll(compression);
            command.addAll(List.of(lab.ref(repository + ":zstd"), lab.ref(repository + ":skopeo")));
            ExternalTools.Result skopeo = ExternalTools.run(command);
            assertNotEquals(0, skopeo.exitCode(), "skopeo 1.9.3 cannot write zstd layers into v2s2");
            assertTrue(skopeo.stderr().contains("zstd compression is not supported for docker images"), skopeo.stderr());
        }
        assertFalse(lab.tags(repository).contains("skopeo"));
    }

    @Test
    void gzipLayersAreReusedAsTheyAreAndAV2s2SourceStaysUnchanged() {
        convert("fixtures/hello:v2s2", "gzip",
                new ConversionOptions(Compression.GZIP, null, List.of(), false));
        JsonNode oci = rawManifest(lab, repository + ":gzip");

        ConversionReport back = convert(repository + ":gzip", "back", BACK);

        back.images().getFirst().layers().forEach(layer -> assertEquals(LayerAction.SKIPPED, layer.action()));
        JsonNode raw = rawManifest(lab, repository + ":back");
        assertEquals(MediaType.DOCKER_MANIFEST.value(), raw.path("mediaType").asText());
        for (int i = 0; i < oci.path("layers").size(); i++) {
            assertEquals(oci.path("layers").get(i).path("digest"), raw.path("layers").get(i).path("digest"));
            assertEquals(MediaType.DOCKER_LAYER_GZIP.value(), raw.path("layers").get(i).path("mediaType").asText());
        }
        assertEquals(0, back.totals().recompressed(), back.totals().toString());
        assertEquals(back.totals().sourceLayerBytes(), back.totals().targetLayerBytes());

        ConversionReport same = convert("fixtures/hello:v2s2", "same", BACK);
        assertEquals(ConversionReport.Outcome.UNCHANGED, same.outcome());
        assertEquals(same.sourceDigest(), same.targetDigest());
    }

    @Test
    void anIndexGoesBackToAManifestListOfV2s2Images() {
        convert("fixtures/multi:latest", "zstd", ConversionOptions.DEFAULT);
        JsonNode zstd = rawManifest(lab, repository + ":zstd");
        assertEquals(MediaType.OCI_INDEX.value(), zstd.path("mediaType").asText());

        convert(repository + ":zstd", "back", BACK);

        JsonNode list = rawManifest(lab, repository + ":back");
        assertEquals(MediaType.DOCKER_MANIFEST_LIST.value(), list.path("mediaType").asText());
        assertEquals(2, list.path("manifests").size());
        for (int i = 0; i < 2; i++) {
            JsonNode entry = list.path("manifests").get(i);
            assertEquals(MediaType.DOCKER_MANIFEST.value(), entry.path("mediaType").asText());
            assertEquals(zstd.path("manifests").get(i).path("platform"), entry.path("platform"), "platform kept");
            Path dir = skopeoCopyAsIs(lab, repository + "@" + entry.path("digest").asText(), tmp.resolve("p" + i));
            JsonNode image = LayoutImages.readJson(dir.resolve("manifest.json"));
            assertEquals(MediaType.DOCKER_MANIFEST.value(), image.path("mediaType").asText());
            TruthfulLayers.assertTruthful(dir, image);
        }
        assertEquals("arm64", list.path("manifests").get(1).path("platform").path("architecture").asText());
    }

    @Test
    void anIndexLosesItsAttestationsAndAnnotationsOnTheWayBackAndTheReportSaysSo() {
        CraftedImages.Stored hello = CraftedImages.hello(lab, repository);
        convert(repository + ":hello", "zstd", ConversionOptions.DEFAULT);
        String image = dev.recast.testing.RegistryImages.rawDigest(lab, repository + ":zstd");
        int imageSize = ExternalTools.check("skopeo", "inspect", "--raw", "--tls-verify=false",
                lab.ref(repository + ":zstd")).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        // a BuildKit-style attestation entry (unknown/unknown, naming the image it describes) and an annotated index
        String index = "{\"schemaVersion\":2,\"mediaType\":\"" + CraftedImages.OCI_INDEX + "\",\"manifests\":["
                + "{\"mediaType\":\"" + MediaType.OCI_MANIFEST + "\",\"digest\":\"" + image + "\",\"size\":"
                + imageSize + ",\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}},"
                + "{\"mediaType\":\"" + hello.mediaType() + "\",\"digest\":\"" + hello.digest() + "\",\"size\":"
                + hello.size() + ",\"platform\":{\"architecture\":\"unknown\",\"os\":\"unknown\"},\"annotations\":"
                + "{\"vnd.docker.reference.digest\":\"" + image + "\",\"vnd.docker.reference.type\":"
                + "\"attestation-manifest\"}}],\"annotations\":{\"org.opencontainers.image.created\":\"2026-01-01\"}}";
        CraftedImages.put(lab, repository, "attested", CraftedImages.OCI_INDEX, index);

        ConversionReport back = convert(repository + ":attested", "attested-back", BACK);

        JsonNode list = rawManifest(lab, repository + ":attested-back");
        assertEquals(MediaType.DOCKER_MANIFEST_LIST.value(), list.path("mediaType").asText());
        assertEquals(1, list.path("manifests").size(), list.toString());
        assertFalse(list.has("annotations") || list.path("manifests").get(0).has("annotations"), list.toString());
        assertTrue(back.notes().stream().anyMatch(n -> n.contains("left out attestation " + hello.digest())),
                back.notes().toString());
        assertTrue(back.notes().stream().anyMatch(n -> n.contains("annotations left out")
                && n.contains("org.opencontainers.image.created")), back.notes().toString());
    }

    @Test
    void layerCacheEntriesServeBothFormats() {
        convert("fixtures/hello:v2s2", "zstd", ConversionOptions.DEFAULT);
        String cache = repository + "-cache";
        ConversionReport first = cachedConvert(cache, "back-1", BACK);
        first.images().getFirst().layers().forEach(layer -> {
            assertEquals(LayerAction.RECOMPRESSED, layer.action());
            JsonNode entry = rawManifest(lab, cache + ":" + LayerCacheKey.of(layer.sourceDigest(), BACK).tag());
            assertEquals(MediaType.OCI_LAYER_GZIP.value(), entry.path("layers").get(0).path("mediaType").asText());
        });

        ConversionReport oci = cachedConvert(cache, "gzip-2", new ConversionOptions(Compression.GZIP, null, List.of(), false));
        ConversionReport back = cachedConvert(cache, "back-3", BACK);

        for (ConversionReport reused : List.of(oci, back)) {
            for (int i = 0; i < 3; i++) {
                LayerReport layer = reused.images().getFirst().layers().get(i);
                assertEquals(LayerAction.REUSED, layer.action(), layer.toString());
                assertEquals(first.images().getFirst().layers().get(i).targetDigest(), layer.targetDigest());
            }
        }
        assertEquals(MediaType.OCI_LAYER_GZIP, oci.images().getFirst().layers().getFirst().targetMediaType());
        assertEquals(MediaType.DOCKER_LAYER_GZIP, back.images().getFirst().layers().getFirst().targetMediaType());
        assertEquals(MediaType.DOCKER_LAYER_GZIP.value(),
                rawManifest(lab, repository + "-3:back-3").path("layers").get(0).path("mediaType").asText());
    }

    /** A conversion of {@code repository:zstd} by a fresh engine with a layer cache, into a repository of its own. */
    private ConversionReport cachedConvert(String cache, String tag, ConversionOptions options) {
        try (ImageConverter cached = new ImageConverter(stores, 2, ImageConverter.Limits.DEFAULT,
                LayerCache.inRepository(cache, LayerCache.MEMORY))) {
            return cached.convert(ImageReference.parse(lab.host() + "/" + repository + ":zstd"),
                    ImageReference.parse(lab.host() + "/" + repository + "-" + tag.substring(tag.length() - 1) + ":" + tag),
                    options);
        }
    }

    @Test
    void whatV2s2CannotCarryIsRefusedAndNothingIsTagged() {
        CraftedImages.hello(lab, repository);
        JsonNode manifest = rawManifest(lab, repository + ":hello");
        String artifact = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.example.config.v1+json\",\"digest\":"
                + manifest.path("config").path("digest") + ",\"size\":" + manifest.path("config").path("size")
                + "},\"layers\":[" + manifest.path("layers").get(0) + "]}";
        CraftedImages.put(lab, repository, "artifact", "application/vnd.oci.image.manifest.v1+json", artifact);
        RecastException e = assertThrows(RecastException.class, () -> convert(repository + ":artifact", "a-back", BACK));
        assertEquals(ErrorKind.UNSUPPORTED, e.kind());
        assertTrue(e.getMessage().contains("not a container image") && e.getMessage().contains("v2s2"), e.getMessage());

        CraftedImages.nestedIndex(lab, repository, 2);
        RecastException nested = assertThrows(RecastException.class, () -> convert(repository + ":top", "n-back", BACK));
        assertEquals(ErrorKind.UNSUPPORTED, nested.kind());
        assertTrue(nested.getMessage().contains("listed by another index"), nested.getMessage());
        assertFalse(lab.tags(repository).contains("a-back") || lab.tags(repository).contains("n-back"));
    }
}
