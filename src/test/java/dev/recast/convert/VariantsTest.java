package dev.recast.convert;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.model.Compression;
import dev.recast.model.Descriptor;
import dev.recast.registry.ImageStores;
import dev.recast.registry.http.RegistrySettings;
import dev.recast.registry.reference.ImageReference;
import dev.recast.testing.CraftedImages;
import dev.recast.testing.ExternalTools;
import dev.recast.testing.LabRegistry;
import dev.recast.testing.LayoutImages;
import dev.recast.testing.RegistryImages;
import dev.recast.testing.LayerTar;
import dev.recast.testing.TestLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.recast.testing.RegistryImages.ZSTD;
import static dev.recast.testing.RegistryImages.rawDigest;
import static dev.recast.testing.RegistryImages.rawManifest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** gzip + zstd variants indexes and in-place conversions, against the real lab registry. */
@Tag("registry")
class VariantsTest {
    private static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private static final String ZSTD_MARK = "io.github.containers.compression.zstd";
    private static final ConversionOptions VARIANTS = ConversionOptions.DEFAULT
            .withVariants(ConversionOptions.GZIP_AND_ZSTD, VariantsFormat.SOURCE);

    @TempDir
    Path tmp;

    private final LabRegistry lab = LabRegistry.plain();
    private final ImageStores stores = new ImageStores(RegistrySettings.defaults());
    private final ImageConverter converter = new ImageConverter(stores, 3, ImageConverter.Limits.DEFAULT);

    @AfterEach
    void close() {
        converter.close();
        stores.close();
    }

    private ConversionReport convert(String source, String target, ConversionOptions options) {
        return converter.convert(ImageReference.parse(lab.ref(source)), ImageReference.parse(lab.ref(target)), options);
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aSingleImageGetsItsOwnManifestFirstAndItsZstdConversionMarkedAfter() {
        String repo = unique("variants/single");
        CraftedImages.Stored hello = CraftedImages.hello(lab, repo);

        ConversionReport report = convert(repo + ":hello", repo + ":both", VARIANTS);

        assertEquals(ConversionReport.Outcome.CONVERTED, report.outcome());
        JsonNode index = rawManifest(lab, repo + ":both");
        assertEquals(CraftedImages.OCI_INDEX, index.path("mediaType").asText());
        assertEquals(hello.digest(), index.path("annotations").path(RecastAnnotations.SOURCE_DIGEST).asText());
        assertEquals(2, index.path("manifests").size(), index.toString());
        JsonNode gzip = index.path("manifests").get(0);
        JsonNode zstd = index.path("manifests").get(1);
        // the source manifest itself, byte for byte: digest pins on it keep working
        assertEquals(hello.digest(), gzip.path("digest").asText());
        assertEquals(DOCKER_MANIFEST, gzip.path("mediaType").asText());
        assertTrue(gzip.path("annotations").path(ZSTD_MARK).isMissingNode(), gzip.toString());
        assertEquals(OCI_MANIFEST, zstd.path("mediaType").asText());
        assertEquals("true", zstd.path("annotations").path(ZSTD_MARK).asText());
        for (JsonNode entry : List.of(gzip, zstd)) {
            assertEquals("linux", entry.path("platform").path("os").asText());
            assertEquals("amd64", entry.path("platform").path("architecture").asText());
        }
        assertLayersMatchDiffIds(repo, zstd.path("digest").asText());
        RegistryImages.assertNoDanglingManifests(lab, repo);

        ConversionReport again = convert(repo + ":hello", repo + ":both", VARIANTS);
        assertEquals(ConversionReport.Outcome.ALREADY_CONVERTED, again.outcome());
        assertEquals(0, again.totals().bytesWritten());
    }

    @Test
    void everyPlatformOfAListGetsBothVariantsInAnotherRepository() {
        String repo = unique("variants/list");
        JsonNode list = rawManifest(lab, "fixtures/multi:latest");

        ConversionReport report = convert("fixtures/multi:latest", repo + ":latest", VARIANTS);

        assertEquals(ConversionReport.Outcome.CONVERTED, report.outcome());
        JsonNode index = rawManifest(lab, repo + ":latest");
        JsonNode entries = index.path("manifests");
        assertEquals(4, entries.size(), index.toString());
        for (int i = 0; i < 2; i++) {
            JsonNode source = list.path("manifests").get(i);
            JsonNode gzip = entries.get(i);
            JsonNode zstd = entries.get(i + 2);
            // as containers/image sorts podman's --add-compression indexes: every gzip entry, then every zstd one
            assertEquals(source.path("digest").asText(), gzip.path("digest").asText());
            assertEquals(source.path("platform"), gzip.path("platform"));
            assertEquals(source.path("platform"), zstd.path("platform"));
            assertEquals("true", zstd.path("annotations").path(ZSTD_MARK).asText());
            assertLayersMatchDiffIds(repo, zstd.path("digest").asText());
        }
        // the gzip images' blobs were mounted into the new repository: every manifest there is whole
        RegistryImages.assertNoDanglingManifests(lab, repo);
        ExternalTools.check("skopeo", "copy", "-q", "--src-tls-verify=false",
                lab.ref(repo + "@" + entries.get(1).path("digest").asText()), "dir:" + tmp.resolve("arm64-gzip"));
    }

    @Test
    void theOciFormatWritesAnOciManifestOfTheSameGzipBlobsAndConfig() {
        String repo = unique("variants/oci");
        CraftedImages.hello(lab, repo);
        JsonNode source = rawManifest(lab, repo + ":hello");

        convert(repo + ":hello", repo + ":both", ConversionOptions.DEFAULT
                .withVariants(ConversionOptions.GZIP_AND_ZSTD, VariantsFormat.OCI));

        JsonNode gzipEntry = rawManifest(lab, repo + ":both").path("manifests").get(0);
        assertEquals(OCI_MANIFEST, gzipEntry.path("mediaType").asText());
        JsonNode gzip = rawManifest(lab, repo + "@" + gzipEntry.path("digest").asText());
        assertEquals("application/vnd.oci.image.config.v1+json", gzip.path("config").path("mediaType").asText());
        assertEquals(source.path("config").path("digest"), gzip.path("config").path("digest"));
        for (int i = 0; i < source.path("layers").size(); i++) {
            assertEquals(source.path("layers").get(i).path("digest"), gzip.path("layers").get(i).path("digest"));
            assertEquals("application/vnd.oci.image.layer.v1.tar+gzip", gzip.path("layers").get(i).path("mediaType").asText());
        }
    }

    @Test
    void tenGzipLayersGetZstdVariantsWithoutOneGzipByteWritten() throws Exception {
        String repo = unique("variants/ten");
        TestLayout layout = new TestLayout(tmp.resolve("ten"));
        TestLayout.Image image = layout.image();
        Random random = new Random(18);
        for (int i = 0; i < 10; i++) {
            StringBuilder text = new StringBuilder();
            while (text.length() < 200_000) {
                text.append("word").append(random.nextInt(5000)).append(i % 2 == 0 ? ' ' : '\n');
            }
            image.layer(new LayerTar().dir("layer" + i + "/").file("layer" + i + "/data.txt", text.toString()).build());
        }
        Descriptor written = image.write();
        layout.tag("v1", written);
        // skopeo 1.9 finds no v2s2 manifest in an OCI layout: the blobs go over unchanged with Recast, the tag by hand
        ImageReference pushed = ImageReference.parse(lab.ref(repo + ":v1"));
        try (var from = stores.open(ImageReference.parse(layout.ref("v1"))); var to = stores.open(pushed)) {
            converter.transfer(ImageReference.parse(layout.ref("v1")), from, to, pushed, ConversionOptions.DEFAULT, false,
                    ConversionListener.NONE, new Cancellation());
        }
        CraftedImages.put(lab, repo, "v1", DOCKER_MANIFEST, Files.readString(layout.blobPath(written.digest())));
        String sourceDigest = rawDigest(lab, repo + ":v1");

        ConversionReport report = convert(repo + ":v1", repo + ":v1", VARIANTS);

        assertEquals(ConversionReport.Outcome.CONVERTED, report.outcome());
        assertEquals(10, report.totals().recompressed());
        JsonNode index = rawManifest(lab, repo + ":v1");
        assertEquals(sourceDigest, index.path("manifests").get(0).path("digest").asText());
        JsonNode zstdEntry = index.path("manifests").get(1);
        JsonNode zstd = rawManifest(lab, repo + "@" + zstdEntry.path("digest").asText());
        long zstdBlobs = 0;
        for (JsonNode layer : zstd.path("layers")) {
            assertEquals(ZSTD, layer.path("mediaType").asText());
            zstdBlobs += layer.path("size").asLong();
        }
        long indexSize = ExternalTools.check("skopeo", "inspect", "--raw", "--tls-verify=false", lab.ref(repo + ":v1"))
                .trim().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        // no gzip layer, no config and not the source manifest: only the zstd blobs and the two new manifests
        assertEquals(zstdBlobs + zstdEntry.path("size").asLong() + indexSize, report.totals().bytesWritten(),
                "bytes written: " + report.totals());
        assertLayersMatchDiffIds(repo, zstdEntry.path("digest").asText());
    }

    @Test
    void inPlaceIsRefusedWithoutVariantsOrForceAndARerunIsANoOp() {
        String repo = unique("variants/inplace");
        CraftedImages.Stored hello = CraftedImages.hello(lab, repo);

        RecastException refused = assertThrows(RecastException.class,
                () -> convert(repo + ":hello", repo + ":hello", ConversionOptions.DEFAULT));
        assertEquals(ErrorKind.BAD_REQUEST, refused.kind());
        assertTrue(refused.getMessage().contains("--variants gzip,zstd") && refused.getMessage().contains("--force"),
                refused.getMessage());
        assertEquals(hello.digest(), rawDigest(lab, repo + ":hello"));

        ConversionReport first = convert(repo + ":hello", repo + ":hello", VARIANTS);
        assertEquals(ConversionReport.Outcome.CONVERTED, first.outcome());
        assertEquals(hello.digest(), rawManifest(lab, repo + ":hello").path("manifests").get(0).path("digest").asText());
        String index = rawDigest(lab, repo + ":hello");

        ConversionReport again = convert(repo + ":hello", repo + ":hello", VARIANTS);
        assertEquals(ConversionReport.Outcome.ALREADY_CONVERTED, again.outcome());
        assertEquals(0, again.totals().bytesWritten());
        assertEquals(index, rawDigest(lab, repo + ":hello"));
    }

    @Test
    void forceReplacesTheTagWithTheZstdImage() {
        String repo = unique("variants/force");
        CraftedImages.hello(lab, repo);

        ConversionReport report = convert(repo + ":hello", repo + ":hello", ConversionOptions.DEFAULT.withForce(true));

        assertEquals(ConversionReport.Outcome.CONVERTED, report.outcome());
        JsonNode manifest = rawManifest(lab, repo + ":hello");
        assertEquals(OCI_MANIFEST, manifest.path("mediaType").asText());
        manifest.path("layers").forEach(layer -> assertEquals(ZSTD, layer.path("mediaType").asText()));
    }

    @Test
    void aPushBetweenReadAndWriteWinsAndIsReportedAsAConflict() {
        String repo = unique("variants/race");
        CraftedImages.Stored hello = CraftedImages.hello(lab, repo);
        AtomicBoolean pushed = new AtomicBoolean();
        ConversionListener pushWhileConverting = new ConversionListener() {
            @Override
            public void layerFinished(String image, Descriptor layer, LayerAction action, Descriptor result, long millis) {
                if (pushed.compareAndSet(false, true)) {
                    // a real push to the tag being converted, while the conversion runs
                    LabRegistry.copy(lab.host() + "/fixtures/app:amd64", lab.host() + "/" + repo + ":hello");
                }
            }
        };

        RecastException conflict = assertThrows(RecastException.class, () -> converter.convert(
                ImageReference.parse(lab.ref(repo + ":hello")), ImageReference.parse(lab.ref(repo + ":hello")),
                VARIANTS, pushWhileConverting));

        assertTrue(pushed.get());
        assertEquals(ErrorKind.CONFLICT, conflict.kind());
        String now = rawDigest(lab, repo + ":hello");
        assertEquals(rawDigest(lab, "fixtures/app:amd64"), now);
        assertTrue(conflict.getMessage().contains("tag hello") && conflict.getMessage().contains(hello.digest())
                && conflict.getMessage().contains(now), conflict.getMessage());
    }

    @Test
    void aSourceWithZstdLayersIsRefusedNamingTheLayer() {
        String repo = unique("variants/zstd");
        CraftedImages.hello(lab, repo);
        convert(repo + ":hello", repo + ":zstd", ConversionOptions.DEFAULT);

        RecastException refused = assertThrows(RecastException.class,
                () -> convert(repo + ":zstd", repo + ":both", VARIANTS));

        assertEquals(ErrorKind.UNSUPPORTED, refused.kind());
        assertTrue(refused.getMessage().contains("layer 0"), refused.getMessage());
        assertFalse(lab.tags(repo).contains("both"));
    }

    /** Each layer of the image stored as {@code repo@digest} decompresses to its config's diff_id. */
    private void assertLayersMatchDiffIds(String repo, String digest) {
        JsonNode manifest = rawManifest(lab, repo + "@" + digest);
        JsonNode config = LayoutImages.readJson(lab.blobData(manifest.path("config").path("digest").asText()));
        List<String> diffIds = new ArrayList<>();
        config.path("rootfs").path("diff_ids").forEach(id -> diffIds.add(id.asText()));
        assertEquals(diffIds.size(), manifest.path("layers").size());
        for (int i = 0; i < diffIds.size(); i++) {
            JsonNode layer = manifest.path("layers").get(i);
            assertEquals(Compression.ZSTD, dev.recast.model.MediaType.of(layer.path("mediaType").asText()).layerCompression());
            assertEquals(diffIds.get(i), ExternalTools.decompressedSha256(lab.blobData(layer.path("digest").asText())),
                    "layer " + i + " of " + digest);
        }
    }
}
