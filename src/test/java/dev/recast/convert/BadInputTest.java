package dev.recast.convert;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.model.Descriptor;
import dev.recast.model.MediaType;
import dev.recast.registry.ImageStores;
import dev.recast.registry.http.RegistrySettings;
import dev.recast.registry.reference.ImageReference;
import dev.recast.testing.ExternalTools;
import dev.recast.testing.LayerTar;
import dev.recast.testing.TestLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.recast.testing.LayoutImages.taggedDigest;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Input a registry or layout may hold that is not a plain image, or that lies about itself: artifacts pass through
 * byte for byte, lies are refused with an error naming the image, and nothing is tagged.
 */
class BadInputTest {
    @TempDir
    Path tmp;

    private final ImageStores stores = new ImageStores(RegistrySettings.defaults());
    private final ImageConverter converter = new ImageConverter(stores, 2, ImageConverter.Limits.DEFAULT);

    @AfterEach
    void close() {
        converter.close();
        stores.close();
    }

    private ConversionReport convert(TestLayout source, String tag, Path target) {
        return converter.convert(ImageReference.parse(source.ref(tag)), ImageReference.parse("oci:" + target + ":" + tag),
                ConversionOptions.DEFAULT);
    }

    /** An OCI manifest whose config and layers are of the given types (an artifact, not an image). */
    private Descriptor artifact(TestLayout layout, String artifactType, MediaType configType, byte[] config,
                                MediaType layerType, byte[] layer) {
        Descriptor configBlob = layout.blob(configType, config);
        Descriptor layerBlob = layout.blob(layerType, layer);
        String json = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\""
                + (artifactType == null ? "" : ",\"artifactType\":\"" + artifactType + "\"")
                + ",\"config\":{\"mediaType\":\"" + configType.value() + "\",\"digest\":\"" + configBlob.digest()
                + "\",\"size\":" + configBlob.size() + "},\"layers\":[{\"mediaType\":\"" + layerType.value()
                + "\",\"digest\":\"" + layerBlob.digest() + "\",\"size\":" + layerBlob.size() + "}]}";
        return layout.blob(MediaType.OCI_MANIFEST, json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void artifactsPassThroughByteForByte() throws Exception {
        TestLayout source = new TestLayout(tmp.resolve("src"));
        Descriptor helm = artifact(source, null, MediaType.of("application/vnd.cncf.helm.config.v1+json"),
                "{\"name\":\"chart\",\"version\":\"1.0.0\"}".getBytes(), MediaType.of("application/vnd.cncf.helm.chart.content.v1.tar+gzip"),
                TestLayout.gzip(new LayerTar().file("chart/Chart.yaml", "name: chart\n").build()));
        Descriptor signature = artifact(source, null, MediaType.OCI_CONFIG, "{}".getBytes(),
                MediaType.of("application/vnd.dev.cosign.simplesigning.v1+json"),
                "{\"critical\":{\"image\":{\"docker-manifest-digest\":\"sha256:00\"}}}".getBytes());
        Descriptor sbom = artifact(source, "application/spdx+json", MediaType.of("application/vnd.oci.empty.v1+json"),
                "{}".getBytes(), MediaType.of("application/spdx+json"), "{\"spdxVersion\":\"SPDX-2.3\"}".getBytes());
        source.tag("helm", helm);
        source.tag("sig", signature);
        source.tag("sbom", sbom);
        Path target = tmp.resolve("out");
        for (String tag : new String[]{"helm", "sig", "sbom"}) {
            ConversionReport report = convert(source, tag, target);
            assertEquals(ConversionReport.Outcome.UNCHANGED, report.outcome(), tag);
            String digest = taggedDigest(target, tag);
            assertEquals(taggedDigest(source.dir(), tag), digest, tag + ": the manifest is untouched");
            assertArrayEquals(Files.readAllBytes(source.dir().resolve("blobs/sha256/" + digest.substring(7))),
                    Files.readAllBytes(target.resolve("blobs/sha256/" + digest.substring(7))), tag);
        }
        // skopeo reads the copied chart as the same artifact
        String raw = ExternalTools.check("skopeo", "inspect", "--raw", "oci:" + target + ":helm");
        assertTrue(raw.contains("application/vnd.cncf.helm.chart.content.v1.tar+gzip"), raw);
    }

    @Test
    void aLayerDescriptorLyingAboutItsSizeIsRefused() throws Exception {
        TestLayout source = new TestLayout(tmp.resolve("src"));
        Descriptor honest = source.image().layer(new LayerTar().file("a", "a".repeat(5000)).build()).write();
        String json = new String(Files.readAllBytes(source.blobPath(honest.digest())), StandardCharsets.UTF_8);
        String layerDigest = json.replaceAll(".*\"layers\":\\[\\{[^}]*\"digest\":\"(sha256:[0-9a-f]+)\".*", "$1");
        long realSize = Files.size(source.blobPath(dev.recast.model.Digest.parse(layerDigest)));
        String lying = json.replace("\"size\":" + realSize + "}", "\"size\":" + (realSize - 10) + "}");
        assertTrue(!lying.equals(json), "the layer's size was rewritten");
        source.tag("lying", source.blob(MediaType.DOCKER_MANIFEST, lying.getBytes(StandardCharsets.UTF_8)));
        Path target = tmp.resolve("out");
        RecastException error = assertThrows(RecastException.class, () -> convert(source, "lying", target));
        assertEquals(ErrorKind.DIGEST_MISMATCH, error.kind(), error.getMessage());
        assertTrue(error.getMessage().contains(layerDigest.substring(0, 19)), error.getMessage());
        assertTrue(error.getMessage().contains(source.dir().toString()), "names the image: " + error.getMessage());
        assertNull(taggedDigest(target, "lying"));
    }

    @Test
    void oversizedAndMalformedManifestsAreRefusedByName() {
        TestLayout source = new TestLayout(tmp.resolve("src"));
        String padding = " ".repeat(5 << 20);
        source.tag("huge", source.blob(MediaType.OCI_MANIFEST, ("{\"schemaVersion\":2" + padding + "}").getBytes()));
        source.tag("broken", source.blob(MediaType.OCI_MANIFEST, "{\"schemaVersion\":2,\"config\":".getBytes()));
        source.tag("twice", source.blob(MediaType.OCI_MANIFEST,
                "{\"schemaVersion\":2,\"schemaVersion\":2,\"config\":{},\"layers\":[]}".getBytes()));
        Path target = tmp.resolve("out");
        RecastException huge = assertThrows(RecastException.class, () -> convert(source, "huge", target));
        assertEquals(ErrorKind.TOO_LARGE, huge.kind(), huge.getMessage());
        for (String tag : new String[]{"broken", "twice"}) {
            RecastException error = assertThrows(RecastException.class, () -> convert(source, tag, target));
            assertEquals(ErrorKind.INVALID_IMAGE, error.kind(), tag + ": " + error.getMessage());
            assertTrue(error.getMessage().contains("manifest"), error.getMessage());
        }
        assertNull(taggedDigest(target, "huge"));
    }
}
