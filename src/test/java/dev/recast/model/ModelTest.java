package dev.recast.model;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelTest {

    @Test
    void digestParsesComputesAndVerifies() {
        Digest empty = Digest.sha256(new byte[0]);
        assertEquals("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", empty.toString());
        assertEquals(empty, Digest.parse(empty.toString()));
        assertTrue(empty.matches(new byte[0]));
        assertFalse(empty.matches(new byte[1]));
        Digest sha512 = Digest.of("sha512", Digest.newMessageDigest("sha512").digest("x".getBytes()));
        assertEquals(sha512, Digest.parse(sha512.toString()));
        assertTrue(sha512.matches("x".getBytes()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "sha256", "sha256:", "sha256:abc", "md5:d41d8cd98f00b204e9800998ecf8427e",
            "sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855", ":abc"})
    void badDigestsAreRefused(String text) {
        RecastException error = assertThrows(RecastException.class, () -> Digest.parse(text));
        assertEquals(ErrorKind.BAD_REQUEST, error.kind());
    }

    @ParameterizedTest
    @CsvSource({
            "linux/arm64, linux/arm64/v8",
            "linux/aarch64, linux/arm64/v8",
            "linux/x86_64, linux/amd64",
            "linux/armhf, linux/arm/v7",
            "linux/arm, linux/arm/v7",
            "linux/armel, linux/arm/v6",
            "linux/amd64/v1, linux/amd64",
            "linux/amd64/v3, linux/amd64/v3",
            "Linux/i386, linux/386"})
    void platformsNormaliseLikeContainerd(String given, String normal) {
        assertEquals(normal, Platform.parse(given).normalized().toString());
    }

    @Test
    void platformMatchingIgnoresVariantOnlyWhenNotAsked() {
        Platform arm64v8 = new Platform("linux", "arm64", "v8");
        assertTrue(arm64v8.matches(Platform.parse("linux/arm64")));
        assertTrue(new Platform("linux", "aarch64", null).matches(Platform.parse("linux/arm64/v8")));
        assertFalse(Platform.parse("linux/arm/v6").matches(Platform.parse("linux/arm/v7")));
        assertFalse(Platform.parse("linux/amd64").matches(Platform.parse("windows/amd64")));
        assertThrows(RecastException.class, () -> Platform.parse("linux"));
        assertThrows(RecastException.class, () -> Platform.parse("linux/arm64/v8/extra"));
    }

    @Test
    void mediaTypesClassifyLayersAndManifests() {
        assertEquals(Compression.GZIP, MediaType.DOCKER_LAYER_GZIP.layerCompression());
        assertEquals(Compression.ZSTD, MediaType.OCI_LAYER_ZSTD.layerCompression());
        assertEquals(Compression.NONE, MediaType.OCI_LAYER.layerCompression());
        assertTrue(MediaType.DOCKER_FOREIGN_LAYER_GZIP.isForeignLayer());
        assertTrue(MediaType.OCI_NONDISTRIBUTABLE_LAYER_ZSTD.isForeignLayer());
        assertFalse(MediaType.OCI_LAYER_GZIP.isForeignLayer());
        assertNull(MediaType.of("application/vnd.cncf.helm.chart.content.v1.tar+gzip").layerCompression());
        assertTrue(MediaType.DOCKER_MANIFEST_LIST.isIndex());
        assertTrue(MediaType.DOCKER_MANIFEST.isImageManifest());
        assertEquals(MediaType.OCI_NONDISTRIBUTABLE_LAYER_GZIP, MediaType.ociForeignLayer(Compression.GZIP));
        assertThrows(RecastException.class, () -> MediaType.of("not a media type"));
    }

    @Test
    void manifestKeepsItsExactBytesAndDigest() {
        byte[] bytes = """
                {"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                 "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 2,
                            "digest": "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"},
                 "layers": [], "x-unknown": {"kept": true}}""".getBytes(StandardCharsets.UTF_8);
        Content stored = Content.of(MediaType.DOCKER_MANIFEST, bytes);
        Manifest manifest = assertInstanceOf(Manifest.class, ImageManifest.parse(stored));
        assertEquals(Digest.sha256(bytes), manifest.digest());
        assertEquals(MediaType.DOCKER_CONFIG, manifest.config().mediaType());
        assertTrue(manifest.isContainerImage());
    }

    @Test
    void manifestWithoutMediaTypeFieldIsTypedByItsShape() {
        byte[] index = "{\"schemaVersion\":2,\"manifests\":[]}".getBytes(StandardCharsets.UTF_8);
        assertInstanceOf(Index.class, ImageManifest.parse(Content.of(MediaType.OCI_MANIFEST, index)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"schemaVersion\":2,\"schemaVersion\":2,\"manifests\":[]}",
            "{\"schemaVersion\":2,\"manifests\":[]} trailing",
            "[1,2]",
            "{\"schemaVersion\":1,\"fsLayers\":[]}",
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"layers\":[]}",
            "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"a/b\",\"digest\":\"sha256:zz\",\"size\":1}]}",
            "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"a/b\",\"digest\":\"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\",\"size\":-1}]}",
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.cncf.helm.config.v1+json\",\"manifests\":[]}",
            "{not json"})
    void malformedOrUnsupportedManifestsGiveTypedErrors(String json) {
        RecastException error = assertThrows(RecastException.class,
                () -> ImageManifest.parse(Content.of(MediaType.OCI_MANIFEST, json.getBytes(StandardCharsets.UTF_8))));
        assertTrue(error.kind() == ErrorKind.INVALID_IMAGE || error.kind() == ErrorKind.UNSUPPORTED, error.kind() + ": " + error.getMessage());
    }

    @Test
    void createdManifestsAreDeterministic() {
        Descriptor config = new Descriptor(MediaType.OCI_CONFIG, Digest.sha256("{}".getBytes()), 2);
        Manifest a = Manifest.create(MediaType.OCI_MANIFEST, null, config, java.util.List.of(), null, java.util.Map.of("k", "v"));
        Manifest b = Manifest.create(MediaType.OCI_MANIFEST, null, config, java.util.List.of(), null, java.util.Map.of("k", "v"));
        assertEquals(a.digest(), b.digest());
        Manifest reparsed = (Manifest) ImageManifest.parse(a.content());
        assertEquals(a.config(), reparsed.config());
        assertEquals("v", reparsed.annotations().get("k"));
    }

    @Test
    void imageConfigReadsPlatformAndDiffIds() {
        byte[] bytes = """
                {"architecture":"arm64","variant":"v8","os":"linux","os.version":"1","rootfs":{"type":"layers",
                 "diff_ids":["sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"]}}"""
                .getBytes(StandardCharsets.UTF_8);
        ImageConfig config = ImageConfig.parse(Content.of(MediaType.OCI_CONFIG, bytes));
        assertEquals("linux/arm64/v8", config.platform().toString());
        assertEquals("1", config.platform().osVersion());
        assertEquals(1, config.diffIds().size());
        assertThrows(RecastException.class, () -> ImageConfig.parse(Content.of(MediaType.OCI_CONFIG,
                "{\"os\":\"linux\",\"architecture\":\"amd64\"}".getBytes(StandardCharsets.UTF_8))));
    }
}
