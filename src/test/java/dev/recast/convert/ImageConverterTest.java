package dev.recast.convert;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.model.Compression;
import dev.recast.model.Descriptor;
import dev.recast.model.Digest;
import dev.recast.model.Platform;
import dev.recast.registry.ImageStores;
import dev.recast.registry.reference.ImageReference;
import dev.recast.testing.LayoutImages;
import dev.recast.testing.LayerTar;
import dev.recast.testing.TestLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.recast.testing.LayoutImages.assertFaithfulConversion;
import static dev.recast.testing.LayoutImages.taggedDigest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageConverterTest {
    private static final String ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";
    private static final String GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    private static final Path SAMPLE = Path.of("samples/hello").toAbsolutePath();

    @TempDir
    Path tmp;

    private final ImageConverter converter = new ImageConverter(new ImageStores(dev.recast.registry.http.RegistrySettings.defaults()), 3, ImageConverter.Limits.DEFAULT);

    @AfterEach
    void close() {
        converter.close();
    }

    private ConversionReport convert(String source, String target, ConversionOptions options) {
        return converter.convert(ImageReference.parse(source), ImageReference.parse(target), options);
    }

    /** Layers with dirs, files, a symlink, a hardlink, a deleted file, an opaque dir and an empty layer. */
    private static List<byte[]> richLayers() {
        byte[] base = new LayerTar().dir("bin").file("bin/tool", "#!/bin/sh\necho tool\n".getBytes(), 0755)
                .symlink("bin/tool-link", "tool").hardlink("bin/tool-hard", "bin/tool")
                .dir("etc").file("etc/config", "a=1\n").dir("var").dir("var/cache").file("var/cache/old", "old")
                .file("etc/remove-me", "bye").build();
        byte[] data = new LayerTar().dir("data").file("data/big.bin", randomish(300_000), 0600)
                .file("data/long/" + "d".repeat(120) + "/name-longer-than-one-hundred-characters-" + "x".repeat(60), "deep")
                .build();
        byte[] empty = new LayerTar().build();
        byte[] changes = new LayerTar().whiteout("etc/remove-me").opaque("var/cache")
                .file("var/cache/new", "new").file("etc/config", "a=2\n").build();
        return List.of(base, data, empty, changes);
    }

    private static byte[] randomish(int size) {
        byte[] bytes = new byte[size];
        long x = 42;
        for (int i = 0; i < size; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            bytes[i] = (byte) ((x >>> 59) + (i % 7 == 0 ? 0 : 'a'));
        }
        return bytes;
    }

    private Descriptor richImage(TestLayout layout, String tag) {
        TestLayout.Image image = layout.image();
        richLayers().forEach(image::layer);
        Descriptor manifest = image.write();
        layout.tag(tag, manifest);
        return manifest;
    }

    @Test
    void convertsTheShippedSampleToOciZstdFaithfully() {
        Path target = tmp.resolve("out");
        ConversionReport report = convert("oci:" + SAMPLE + ":v2s2", "oci:" + target + ":oci", ConversionOptions.DEFAULT);

        assertEquals(ConversionReport.Outcome.CONVERTED, report.outcome());
        assertEquals(report.targetDigest().toString(), taggedDigest(target, "oci"));
        assertEquals(3, report.totals().recompressed());
        assertFaithfulConversion(SAMPLE, report.sourceDigest().toString(), target, report.targetDigest().toString(), ZSTD);
        JsonNode manifest = LayoutImages.manifest(target, report.targetDigest().toString());
        assertEquals(report.sourceDigest().toString(), manifest.path("annotations").path(RecastAnnotations.SOURCE_DIGEST).asText());
        assertEquals("zstd:3", manifest.path("annotations").path(RecastAnnotations.CONVERSION).asText());
        LayoutImages.assertSkopeoReads(target, "oci", tmp.resolve("skopeo-copy"));
    }

    @Test
    void convertsLinksWhiteoutsEmptyAndLongNamedLayers() {
        TestLayout source = new TestLayout(tmp.resolve("src"));
        Descriptor manifest = richImage(source, "v1");
        Path target = tmp.resolve("out");

        ConversionReport report = convert(source.ref("v1"), "oci:" + target + ":v1", ConversionOptions.DEFAULT);

        assertEquals(4, report.images().getFirst().layers().size());
        report.images().getFirst().layers().forEach(l -> assertEquals(LayerAction.RECOMPRESSED, l.action()));
        assertFaithfulConversion(source.dir(), manifest.digest().toString(), target, report.targetDigest().toString(), ZSTD);
        var tree = LayoutImages.unpack(target, LayoutImages.manifest(target, report.targetDigest().toString())).entries();
        assertFalse(tree.containsKey("etc/remove-me"), "whiteout applied");
        assertFalse(tree.containsKey("var/cache/old"), "opaque directory applied");
        assertEquals('l', tree.get("bin/tool-link").type());
        assertEquals('h', tree.get("bin/tool-hard").type());
        LayoutImages.assertSkopeoReads(target, "v1", tmp.resolve("skopeo-copy"));
    }

    @Test
    void sameSourceAndOptionsGiveTheSameDigestInFreshLayouts() {
        TestLayout source = new TestLayout(tmp.resolve("src"));
        richImage(source, "v1");
        ConversionReport first = convert(source.ref("v1"), "oci:" + tmp.resolve("a") + ":x", ConversionOptions.DEFAULT);
        ConversionReport second = convert(source.ref("v1"), "oci:" + tmp.resolve("b") + ":x", ConversionOptions.DEFAULT);

        assertEquals(first.targetDigest(), second.targetDigest());
        assertEquals(first.images().getFirst().layers().stream().map(LayerReport::targetDigest).toList(),
                second.images().getFirst().layers().stream().map(LayerReport::targetDigest).toList());
        ConversionReport level9 = convert(source.ref("v1"), "oci:" + tmp.resolve("c") + ":x",
                new ConversionOptions(Compression.ZSTD, 9, List.of(), false));
        assertNotEquals(first.targetDigest(), level9.targetDigest(), "the level is part of the result");
    }

    @Test
    void diffIdMismatchFailsLoudlyAndWritesNoTag() {
        TestLayout source = new TestLayout(tmp.resolve("src"));
        byte[] tar = new LayerTar().file("a", "a").build();
        Digest wrong = Digest.sha256("not the tar".getBytes());
        source.tag("bad", source.image().layer(tar).diffIds(List.of(wrong)).write());
        Path target = tmp.resolve("out");

        RecastException error = assertThrows(RecastException.class,
                () -> convert(source.ref("bad"), "oci:" + target + ":bad", ConversionOptions.DEFAULT));

        assertEquals(ErrorKind.DIGEST_MISMATCH, error.kind());
        assertTrue(error.getMessage().contains(wrong.toString()), error.getMessage());
        assertTrue(error.getMessage().contains(Digest.sha256(tar).toString()), error.getMessage());
        assertTrue(error.getMessage().contains(source.ref("bad")), "names the image: " + error.getMessage());
        assertTrue(error.layer() != null, "names the layer");
        assertNull(taggedDigest(target, "bad"), "no tag written");
    }

    @Test
    void corruptLayerBlobIsRefusedAndNothingIsTagged() throws Exception {
        TestLayout source = new TestLayout(tmp.resolve("src"));
        Descriptor manifest = source.image().layer(new LayerTar().file("a", "content").build()).write();
        source.tag("v1", manifest);
        JsonNode json = LayoutImages.manifest(source.dir(), manifest.digest().toString());
        Path layer = LayoutImages.blob(source.dir(), json.path("layers").get(0).path("digest").asText());
        byte[] bytes = Files.readAllBytes(layer);
        bytes[bytes.length - 9] ^= 1;
        Files.write(layer, bytes);
        Path target = tmp.resolve("out");

        RecastException error = assertThrows(RecastException.class,
                () -> convert(source.ref("v1"), "oci:" + target + ":v1", ConversionOptions.DEFAULT));

        assertEquals(ErrorKind.DIGEST_MISMATCH, error.kind(), error.toString());
        assertNull(taggedDigest(target, "v1"));
    }

    @Test
    void dockerListBecomesOciIndexWithEveryChildConverted() {
        TestLayout source = new TestLayout(tmp.resolve("src"));
        Descriptor amd = source.image().platform("linux/amd64").layer(new LayerTar().file("arch", "amd64").build()).write();
        Descriptor arm = source.image().platform("linux/arm64/v8").layer(new LayerTar().file("arch", "arm64").build()).write();
        Descriptor list = source.dockerList(List.of(amd, arm));
        source.tag("multi", list);
        Path target = tmp.resolve("out");

        ConversionReport report = convert(source.ref("multi"), "oci:" + target + ":multi", ConversionOptions.DEFAULT);

        JsonNode index = LayoutImages.manifest(target, report.targetDigest().toString());
        assertEquals("application/vnd.oci.image.index.v1+json", index.path("mediaType").asText());
        assertEquals(2, index.path("manifests").size());
        assertEquals("arm64", index.path("manifests").get(1).path("platform").path("architecture").asText());
        assertEquals("v8", index.path("manifests").get(1).path("platform").path("variant").asText());
        List<Descriptor> sources = List.of(amd, arm);
        for (int i = 0; i < 2; i++) {
            JsonNode child = index.path("manifests").get(i);
            assertEquals("application/vnd.oci.image.manifest.v1+json", child.path("mediaType").asText());
            assertFaithfulConversion(source.dir(), sources.get(i).digest().toString(), target, child.path("digest").asText(), ZSTD);
        }
        assertEquals(list.digest().toString(), index.path("annotations").path(RecastAnnotations.SOURCE_DIGEST).asText());
        LayoutImages.assertSkopeoReads(target, "multi", tmp.resolve("skopeo-copy"));
    }

    @Test
    void platformOptionRestrictsTheIndex() {
        TestLayout source = new TestLayout(tmp.resolve("src"));
        Descriptor amd = source.image().platform("linux/amd64").layer(new LayerTar().file("arch", "amd64").build()).write();
        Descriptor arm = source.image().platform("linux/arm64/v8").layer(new LayerTar().file("arch", "arm64").build()).write();
        source.tag("multi", source.dockerList(List.of(amd, arm)));
        Path target = tmp.resolve("out");

        ConversionReport report = convert(source.ref("multi"), "oci:" + target + ":arm", new ConversionOptions(
                Compression.ZSTD, null, List.of(Platform.parse("linux/arm64")), false));

        JsonNode index = LayoutImages.manifest(target, report.targetDigest().toString());
        assertEquals(1, index.path("manifests").size());
        assertEquals("arm64", index.path("manifests").get(0).path("platform").path("architecture").asText());
        assertTrue(report.notes().stream().anyMatch(n -> n.contains("linux/amd64")), report.notes().toString());

        RecastException none = assertThrows(RecastException.class, () -> convert(source.ref("multi"),
                "oci:" + target + ":none", new ConversionOptions(Compression.ZSTD, null, List.of(Platform.parse("linux/s390x")), false)));
        assertEquals(ErrorKind.BAD_REQUEST, none.kind());
    }

    @Test
    void foreignLayerIsKeptWithItsUrlsAndNeverFetched() {
        TestLayout source = new TestLayout(tmp.resolve("src"));
        Digest foreign = Digest.sha256("windows base layer, stored elsewhere".getBytes());
        Digest foreignDiffId = Digest.sha256("its tar".getBytes());
        Descriptor manifest = source.image().platform("windows/amd64")
                .foreignLayer(foreign, 123456, foreignDiffId, "https://mcr.example/layer.tar.gz")
                .layer(new LayerTar().file("Files/app.exe", "MZ").build()).write();
        source.tag("win", manifest);
        assertFalse(Files.exists(source.blobPath(foreign)), "the foreign blob is nowhere here: fetching it would fail");
        Path target = tmp.resolve("out");

        ConversionReport report = convert(source.ref("win"), "oci:" + target + ":win", ConversionOptions.DEFAULT);

        JsonNode layer0 = LayoutImages.manifest(target, report.targetDigest().toString()).path("layers").get(0);
        assertEquals("application/vnd.oci.image.layer.nondistributable.v1.tar+gzip", layer0.path("mediaType").asText());
        assertEquals(foreign.toString(), layer0.path("digest").asText());
        assertEquals(123456, layer0.path("size").asLong());
        assertEquals("https://mcr.example/layer.tar.gz", layer0.path("urls").get(0).asText());
        assertEquals(LayerAction.SKIPPED, report.images().getFirst().layers().get(0).action());
        assertEquals(LayerAction.RECOMPRESSED, report.images().getFirst().layers().get(1).action());
        assertFalse(Files.exists(LayoutImages.blob(target, foreign.toString())));
    }

    @Test
    void rerunIsRecognisedAndOciZstdSourceIsUnchanged() {
        TestLayout source = new TestLayout(tmp.resolve("src"));
        richImage(source, "v1");
        Path target = tmp.resolve("out");
        ConversionReport first = convert(source.ref("v1"), "oci:" + target + ":v1", ConversionOptions.DEFAULT);

        ConversionReport again = convert(source.ref("v1"), "oci:" + target + ":v1", ConversionOptions.DEFAULT);
        assertEquals(ConversionReport.Outcome.ALREADY_CONVERTED, again.outcome());
        assertEquals(first.targetDigest(), again.targetDigest());
        assertEquals(0, again.totals().bytesWritten());

        ConversionReport ofResult = convert("oci:" + target + ":v1", "oci:" + target + ":v1-again", ConversionOptions.DEFAULT);
        assertEquals(ConversionReport.Outcome.UNCHANGED, ofResult.outcome());
        assertEquals(first.targetDigest(), ofResult.targetDigest());
        assertEquals(first.targetDigest().toString(), taggedDigest(target, "v1-again"));
        ofResult.images().getFirst().layers().forEach(l -> assertEquals(LayerAction.SKIPPED, l.action()));
    }

    @Test
    void ociZstdLayersAreCopiedAsTheyAreAndGzipTargetKeepsGzipLayers() {
        TestLayout source = new TestLayout(tmp.resolve("src"));
        Descriptor gz = richImage(source, "gz");
        Path target = tmp.resolve("out");

        ConversionReport gzip = convert(source.ref("gz"), "oci:" + target + ":gz",
                new ConversionOptions(Compression.GZIP, null, List.of(), false));
        gzip.images().getFirst().layers().forEach(l -> assertEquals(LayerAction.COPIED, l.action()));
        gzip.images().getFirst().layers().forEach(l -> assertEquals(l.sourceDigest(), l.targetDigest()));
        assertFaithfulConversion(source.dir(), gz.digest().toString(), target, gzip.targetDigest().toString(), GZIP);

        ConversionReport none = convert(source.ref("gz"), "oci:" + target + ":tar",
                new ConversionOptions(Compression.NONE, null, List.of(), false));
        assertFaithfulConversion(source.dir(), gz.digest().toString(), target, none.targetDigest().toString(),
                "application/vnd.oci.image.layer.v1.tar");
        none.images().getFirst().layers().forEach(l -> assertEquals(l.diffId(), l.targetDigest(), "uncompressed blob is its diff_id"));
    }

    @Test
    void uncompressedAndZstdSourcesRecompressToGzip() {
        TestLayout source = new TestLayout(tmp.resolve("src"));
        Descriptor tar = source.image().compression(Compression.NONE).layer(new LayerTar().file("x", "plain").build()).write();
        source.tag("tar", tar);
        Path target = tmp.resolve("out");
        ConversionReport report = convert(source.ref("tar"), "oci:" + target + ":gz",
                new ConversionOptions(Compression.GZIP, 9, List.of(), false));
        assertEquals(LayerAction.RECOMPRESSED, report.images().getFirst().layers().getFirst().action());
        assertFaithfulConversion(source.dir(), tar.digest().toString(), target, report.targetDigest().toString(), GZIP);
    }

    @Test
    void dryRunComputesTheResultAndWritesNothing() {
        Path target = tmp.resolve("out");
        ConversionReport dry = convert("oci:" + SAMPLE + ":v2s2", "oci:" + target + ":oci", ConversionOptions.DEFAULT.withDryRun(true));
        assertTrue(dry.dryRun());
        assertEquals(0, dry.totals().bytesWritten());
        assertFalse(Files.exists(target.resolve("index.json")) && taggedDigest(target, "oci") != null);
        try (Stream<Path> files = Files.exists(target) ? Files.walk(target) : Stream.empty()) {
            assertEquals(0, files.filter(p -> p.toString().contains("/blobs/sha256/")).count(), "no blob written");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        ConversionReport real = convert("oci:" + SAMPLE + ":v2s2", "oci:" + target + ":oci", ConversionOptions.DEFAULT);
        assertEquals(real.targetDigest(), dry.targetDigest(), "the dry run predicts the real digest");
    }

    @Test
    void concurrentConversionsIntoOneLayoutKeepEveryTag() throws Exception {
        TestLayout source = new TestLayout(tmp.resolve("src"));
        richImage(source, "v1");
        Path target = tmp.resolve("out");
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 6; i++) {
            String tag = "t" + i;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    convert(source.ref("v1"), "oci:" + target + ":" + tag, ConversionOptions.DEFAULT);
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(List.of(), failures);
        String digest = taggedDigest(target, "t0");
        for (int i = 0; i < 6; i++) {
            assertEquals(digest, taggedDigest(target, "t" + i), "tag t" + i);
        }
    }

    @Test
    void missingImageIsNotFoundAndNamesIt() {
        RecastException error = assertThrows(RecastException.class,
                () -> convert("oci:" + SAMPLE + ":nope", "oci:" + tmp.resolve("out") + ":x", ConversionOptions.DEFAULT));
        assertEquals(ErrorKind.NOT_FOUND, error.kind());
        assertTrue(error.getMessage().contains("samples/hello:nope"), error.getMessage());
    }

    @Test
    void configListingTooFewDiffIdsIsInvalid() {
        TestLayout source = new TestLayout(tmp.resolve("src"));
        source.tag("v1", source.image().layer(new LayerTar().file("a", "a").build())
                .layer(new LayerTar().file("b", "b").build()).diffIds(List.of(Digest.sha256(new byte[0]))).write());
        RecastException error = assertThrows(RecastException.class,
                () -> convert(source.ref("v1"), "oci:" + tmp.resolve("out") + ":v1", ConversionOptions.DEFAULT));
        assertEquals(ErrorKind.INVALID_IMAGE, error.kind());
        assertTrue(error.getMessage().contains("1 diff_ids for 2 layers"), error.getMessage());
    }

    @Test
    void decompressionBombsAndOversizedLayersAreRefusedBeforeAnyTag() {
        TestLayout source = new TestLayout(tmp.resolve("src"));
        source.tag("bomb", source.image().layer(new LayerTar().file("zeros", new byte[80 << 20], 0644).build()).write());
        Path target = tmp.resolve("out");
        try (ImageConverter strict = new ImageConverter(new ImageStores(dev.recast.registry.http.RegistrySettings.defaults()), 2,
                new ImageConverter.Limits(4 << 20, 8 << 20, 64L << 30, 100))) {
            RecastException bomb = assertThrows(RecastException.class, () -> strict.convert(ImageReference.parse(source.ref("bomb")),
                    ImageReference.parse("oci:" + target + ":bomb"), ConversionOptions.DEFAULT));
            assertEquals(ErrorKind.TOO_LARGE, bomb.kind());
            assertTrue(bomb.getMessage().contains("decompression bomb") && bomb.layer() != null, bomb.getMessage());
        }
        try (ImageConverter small = new ImageConverter(new ImageStores(dev.recast.registry.http.RegistrySettings.defaults()), 2,
                new ImageConverter.Limits(4 << 20, 8 << 20, 1 << 20, 5000))) {
            RecastException big = assertThrows(RecastException.class, () -> small.convert(ImageReference.parse(source.ref("bomb")),
                    ImageReference.parse("oci:" + target + ":big"), ConversionOptions.DEFAULT));
            assertEquals(ErrorKind.TOO_LARGE, big.kind());
        }
        assertNull(taggedDigest(target, "bomb"));
        assertNull(taggedDigest(target, "big"));
        ConversionReport fine = convert(source.ref("bomb"), "oci:" + target + ":ok", ConversionOptions.DEFAULT);
        assertEquals(LayerAction.RECOMPRESSED, fine.images().getFirst().layers().getFirst().action(), "default limits accept it");
    }
}
