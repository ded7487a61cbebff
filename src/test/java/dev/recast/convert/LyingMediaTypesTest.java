package dev.recast.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.model.Compression;
import dev.recast.model.MediaType;
import dev.recast.registry.ImageStores;
import dev.recast.registry.http.RegistrySettings;
import dev.recast.registry.reference.ImageReference;
import dev.recast.registry.store.ImageStore;
import dev.recast.testing.CraftedImages;
import dev.recast.testing.LabRegistry;
import dev.recast.testing.LayoutImages;
import dev.recast.testing.TruthfulLayers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static dev.recast.testing.RegistryImages.rawManifest;
import static dev.recast.testing.RegistryImages.skopeoCopyAsIs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Layers whose media type lies about their bytes, built in the test: the hello fixture's layers as gzip, zstd and
 * plain tar blobs (the last two made by Recast), listed by hand-made manifests under another layer type. Converted,
 * every written layer's type matches its bytes (checked with gzip/zstd and the diff_ids) and the report names the lie;
 * copied unchanged, the lie is refused; content no layer type describes is refused, naming the layer.
 */
@Tag("registry")
class LyingMediaTypesTest {
    private static final LabRegistry LAB = LabRegistry.plain();
    private static final String REPO = "liars-" + UUID.randomUUID().toString().substring(0, 8) + "/hello";
    private static final ImageStores STORES = new ImageStores(RegistrySettings.defaults());
    private static final ImageConverter CONVERTER = new ImageConverter(STORES, 2, ImageConverter.Limits.DEFAULT);

    @TempDir
    Path tmp;

    @BeforeAll
    static void blobsOfEveryKind() {
        CraftedImages.hello(LAB, REPO);
        convert(REPO + ":hello", LAB.host() + "/" + REPO + ":zstd", new ConversionOptions(Compression.ZSTD, null, List.of(), false));
        convert(REPO + ":hello", LAB.host() + "/" + REPO + ":tar", new ConversionOptions(Compression.NONE, null, List.of(), false));
    }

    @AfterAll
    static void close() {
        CONVERTER.close();
        STORES.close();
    }

    /** @param to a whole reference, host first */
    private static ConversionReport convert(String from, String to, ConversionOptions options) {
        return CONVERTER.convert(ImageReference.parse(LAB.host() + "/" + from), ImageReference.parse(to), options);
    }

    /** The layers of {@code blobsOf} (hello, zstd or tar) listed as {@code declared} in an OCI manifest, tagged. */
    private static String lie(String blobsOf, MediaType declared) {
        JsonNode manifest = rawManifest(LAB, REPO + ":" + blobsOf);
        ObjectNode json = ((ObjectNode) manifest).deepCopy();
        json.put("mediaType", MediaType.OCI_MANIFEST.value());
        ((ObjectNode) json.path("config")).put("mediaType", MediaType.OCI_CONFIG.value());
        json.remove("annotations");
        json.path("layers").forEach(layer -> ((ObjectNode) layer).put("mediaType", declared.value()));
        String tag = "lie-" + blobsOf + "-as-" + declared.value().replaceAll("[^a-z0-9]+", "-");
        CraftedImages.put(LAB, REPO, tag, MediaType.OCI_MANIFEST.value(), json.toString());
        return tag;
    }

    @ParameterizedTest(name = "{1} declared as {0}, converted to {2} {3}")
    @CsvSource({
            // declared type,                               real bytes, to,   format, target
            "application/vnd.oci.image.layer.v1.tar+gzip,         zstd, zstd, oci,  same",
            "application/vnd.oci.image.layer.v1.tar+gzip,         tar,  zstd, oci,  same",
            "application/vnd.oci.image.layer.v1.tar+zstd,         hello, zstd, oci, same",
            "application/vnd.oci.image.layer.v1.tar+zstd,         hello, zstd, oci, second",
            "application/vnd.oci.image.layer.v1.tar+zstd,         tar,  zstd, oci,  same",
            "application/vnd.oci.image.layer.v1.tar,              hello, zstd, oci, same",
            "application/vnd.oci.image.layer.v1.tar,              zstd, gzip, oci,  same",
            "application/vnd.oci.image.layer.v1.tar+gzip,         zstd, gzip, oci,  same",
            "application/vnd.docker.image.rootfs.diff.tar.gzip,   zstd, gzip, v2s2, same",
            "application/vnd.docker.image.rootfs.diff.tar.gzip,   tar,  gzip, v2s2, second",
    })
    void aLyingLayerIsConvertedToBytesItsNewTypeTellsTruthfullyAndTheReportSaysSo(String declared, String blobsOf,
                                                                                   String to, String format, String where) {
        String tag = lie(blobsOf, MediaType.of(declared));
        LabRegistry target = where.equals("same") ? LAB : LabRegistry.second();
        ConversionOptions options = new ConversionOptions(Compression.parse(to), null, List.of(), false,
                CacheChoice.ENGINE, ManifestFormat.parse(format));
        String out = target.host() + "/" + REPO + ":out-" + UUID.randomUUID().toString().substring(0, 6);

        ConversionReport report = convert(REPO + ":" + tag, out, options);

        String real = blobsOf.equals("hello") ? "gzip" : blobsOf.equals("tar") ? "plain tar" : "zstd";
        String said = MediaType.of(declared).layerCompression() == Compression.NONE ? "plain tar"
                : MediaType.of(declared).layerCompression().label();
        for (LayerReport layer : report.images().getFirst().layers()) {
            assertEquals("media type said " + said + ", content is " + real, layer.note(), layer.toString());
            assertEquals(Compression.parse(to), layer.targetMediaType().layerCompression(), layer.toString());
        }
        String written = out.substring(out.indexOf('/') + 1);
        Path dir = skopeoCopyAsIs(target, written, tmp.resolve("out"));
        JsonNode manifest = LayoutImages.readJson(dir.resolve("manifest.json"));
        List<String> types = TruthfulLayers.assertTruthful(dir, manifest);
        String expected = format.equals("v2s2") ? MediaType.DOCKER_LAYER_GZIP.value()
                : MediaType.ociLayer(Compression.parse(to)).value();
        assertEquals(List.of(expected), types.stream().distinct().toList());
    }

    @Test
    void contentNoLayerTypeDescribesIsRefusedNamingTheLayer() {
        JsonNode hello = rawManifest(LAB, REPO + ":zstd");
        JsonNode config = hello.path("config");
        // the config's JSON as each of its three layers (one per diff_id): neither gzip, zstd nor tar
        String layer = "{\"mediaType\":\"" + MediaType.OCI_LAYER_GZIP + "\",\"digest\":" + config.path("digest")
                + ",\"size\":" + config.path("size") + "}";
        String json = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.OCI_MANIFEST + "\",\"config\":" + config
                + ",\"layers\":[" + String.join(",", layer, layer, layer) + "]}";
        CraftedImages.put(LAB, REPO, "json-layer", MediaType.OCI_MANIFEST.value(), json);

        RecastException e = assertThrows(RecastException.class, () -> convert(REPO + ":json-layer", LAB.host() + "/" + REPO + ":json-out",
                ConversionOptions.DEFAULT));

        assertEquals(ErrorKind.INVALID_IMAGE, e.kind());
        assertEquals(config.path("digest").asText(), e.layer());
        assertTrue(e.getMessage().contains("neither gzip, zstd nor a tar"), e.getMessage());
        assertFalse(LAB.tags(REPO).contains("json-out"));
    }

    @Test
    void aCopyThatKeepsTheManifestRefusesALieAndPassesTheTruth() {
        String tag = lie("hello", MediaType.OCI_LAYER_ZSTD);
        ImageReference lying = ImageReference.parse(LAB.host() + "/" + REPO + ":" + tag);
        ImageReference honest = ImageReference.parse(LAB.host() + "/" + REPO + ":zstd");
        ImageReference copies = ImageReference.parse(LAB.host() + "/" + REPO + "-copies:x");
        try (ImageStore source = STORES.open(lying); ImageStore target = STORES.open(copies)) {
            RecastException e = assertThrows(RecastException.class, () -> CONVERTER.transfer(lying, source, target, copies,
                    ConversionOptions.DEFAULT, false, ConversionListener.NONE, new Cancellation()));
            assertEquals(ErrorKind.INVALID_IMAGE, e.kind());
            assertTrue(e.getMessage().contains("media type said zstd, content is gzip"), e.getMessage());
            assertEquals(rawManifest(LAB, REPO + ":hello").path("layers").get(0).path("digest").asText(), e.layer());

            ImageConverter.Transferred copied = CONVERTER.transfer(honest, source, target, copies, ConversionOptions.DEFAULT,
                    false, ConversionListener.NONE, new Cancellation());
            assertEquals(copied.source().digest(), copied.result().digest(), "copied unchanged");
        }
    }
}
