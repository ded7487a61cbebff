package dev.recast.engines;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recast.testing.Podman;
import dev.recast.testing.RegistryImages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.recast.engines.EngineConversionTest.mediaTypes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Recast's compatibility outputs in real engines: the gzip + zstd variants index, zstd:chunked layers and the way back
 * to Docker v2s2. Which variant each engine takes, and why:
 * <ul>
 * <li>containerd 1.6 ({@code ctr images pull}) fetches every manifest of the index that matches its platform, with
 * their layers, but unpacks and runs only the first match in index order; the annotation plays no part.</li>
 * <li>podman 4.3 (containers/image 5.23) fetches only the first match in index order. It has no setting that prefers
 * zstd when pulling (containers/image learnt that choice later); {@code compression_format} in containers.conf is
 * for pushing.</li>
 * </ul>
 * So both take the gzip variant, which is why Recast lists it first.
 */
@Tag("registry")
@Tag("engines")
class EngineVariantsTest {
    private static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private static final String ZSTD_VARIANT = "io.github.containers.compression.zstd";
    private static EngineLab lab;

    @BeforeAll
    static void lab() {
        lab = EngineLab.shared();
    }

    @Test
    void bothEnginesRunTheGzipVariantOfAVariantsIndexWhichIsTheSourceManifestItself() {
        String target = lab.ref("engines/variants:source");
        lab.recast("convert", lab.amd64.reference(), target, "--variants", "gzip,zstd");

        JsonNode index = RegistryImages.rawManifest(lab.registry, "engines/variants:source");
        assertEquals("application/vnd.oci.image.index.v1+json", index.path("mediaType").asText());
        assertEquals(2, index.path("manifests").size(), index.toString());
        JsonNode gzip = index.path("manifests").get(0);
        JsonNode zstd = index.path("manifests").get(1);
        assertEquals(List.of(lab.amd64.manifestDigest(), DOCKER_MANIFEST, "amd64", ""),
                List.of(gzip.path("digest").asText(), gzip.path("mediaType").asText(),
                        gzip.path("platform").path("architecture").asText(), gzip.path("annotations").path(ZSTD_VARIANT).asText()),
                "first, the source manifest unchanged");
        assertEquals(List.of(OCI_MANIFEST, "amd64", "true"), List.of(zstd.path("mediaType").asText(),
                zstd.path("platform").path("architecture").asText(), zstd.path("annotations").path(ZSTD_VARIANT).asText()));
        List<String> zstdLayers = layers(zstd, RegistryImages.ZSTD);

        assertEnginesTookGzip(target, lab.amd64.layerDigests(), zstdLayers, gzip.path("digest").asText(),
                zstd.path("digest").asText());
    }

    @Test
    void bothEnginesRunTheGzipVariantOfAnAllOciVariantsIndex() {
        String target = lab.ref("engines/variants:oci");
        lab.recast("convert", lab.amd64.reference(), target, "--variants", "gzip,zstd", "--variants-format", "oci");

        JsonNode index = RegistryImages.rawManifest(lab.registry, "engines/variants:oci");
        JsonNode gzip = index.path("manifests").get(0);
        JsonNode zstd = index.path("manifests").get(1);
        assertEquals(OCI_MANIFEST, gzip.path("mediaType").asText(), index.toString());
        assertEquals(lab.amd64.layerDigests(), layers(gzip, "application/vnd.oci.image.layer.v1.tar+gzip"),
                "the OCI gzip variant reuses the source's blobs");
        assertEnginesTookGzip(target, lab.amd64.layerDigests(), layers(zstd, RegistryImages.ZSTD),
                gzip.path("digest").asText(), zstd.path("digest").asText());
    }

    /** Every platform gets both variants; each engine takes its own platform's gzip variant and nothing of arm64. */
    @Test
    void bothEnginesRunTheAmd64GzipVariantOfAVariantsIndexOfTwoPlatforms() {
        String list = lab.ref("engines/variants:list-source");
        lab.recast("index", list, lab.amd64.reference(), lab.arm64.reference());
        String target = lab.ref("engines/variants:list");
        lab.recast("convert", list, target, "--variants", "gzip,zstd");

        JsonNode index = RegistryImages.rawManifest(lab.registry, "engines/variants:list");
        List<String> order = new ArrayList<>();
        index.path("manifests").forEach(m -> order.add(m.path("platform").path("architecture").asText() + " "
                + (m.path("annotations").path(ZSTD_VARIANT).asText().equals("true") ? "zstd" : "gzip")));
        assertEquals(4, order.size(), index.toString());
        assertTrue(order.indexOf("amd64 gzip") < order.indexOf("amd64 zstd") && order.indexOf("arm64 gzip") < order.indexOf("arm64 zstd"),
                "gzip before zstd for each platform: " + order);
        JsonNode gzip = index.path("manifests").get(order.indexOf("amd64 gzip"));
        JsonNode zstd = index.path("manifests").get(order.indexOf("amd64 zstd"));

        assertEnginesTookGzip(target, lab.amd64.layerDigests(), layers(zstd, RegistryImages.ZSTD),
                gzip.path("digest").asText(), zstd.path("digest").asText());
        Map<String, String> content = lab.containerd().content(EngineLab.storeName(target));
        // the two images differ in their first layer only (/etc/platform)
        List<String> arm64Only = lab.arm64.layerDigests().stream().filter(l -> !lab.amd64.layerDigests().contains(l)).toList();
        assertEquals(1, arm64Only.size(), lab.arm64.layerDigests().toString());
        assertFalse(content.containsKey(arm64Only.getFirst()), "ctr fetched the arm64 image: " + content.keySet());
    }

    /**
     * zstd:chunked layers are zstd streams with the table of contents in skippable frames: ctr and podman read them as
     * plain zstd, and podman with partial pulls on reads the table of contents (as it does for its own zstd:chunked
     * images, see {@link EngineConversionTest}); all three unpack the same tree, owners included: podman 4.3 reads
     * owners from the table of contents only under the spellings its own writer leaves out.
     */
    @Test
    void aZstdChunkedImageRunsAndUnpacksLikeItsGzipOriginalWithAndWithoutPartialPulls() {
        String target = lab.ref("engines/chunked:zstd");
        lab.recast("convert", lab.amd64.reference(), target, "--compression", "zstd:chunked");

        JsonNode manifest = RegistryImages.rawManifest(lab.registry, "engines/chunked:zstd");
        assertEquals(OCI_MANIFEST, manifest.path("mediaType").asText());
        // the current containers/storage keys, and the ones podman 4.3 on these machines reads (io.containers.*)
        for (JsonNode layer : manifest.path("layers")) {
            assertEquals(RegistryImages.ZSTD, layer.path("mediaType").asText());
            for (String prefix : List.of("io.github.containers.zstd-chunked.", "io.containers.zstd-chunked.")) {
                assertTrue(layer.path("annotations").has(prefix + "manifest-checksum"), layer.toString());
                assertTrue(layer.path("annotations").has(prefix + "manifest-position"), layer.toString());
            }
        }
        EngineChecks.assertAlike(lab.viaContainerd(lab.amd64.reference()), lab.viaContainerd(target), "containerd, zstd:chunked");
        EngineChecks.assertAlike(lab.viaPodman(lab.amd64.reference()), lab.viaPodman(target), "podman, zstd:chunked");

        Podman partial = lab.partialPullPodman("chunked-partial");
        partial.pull(target);
        assertEquals(3, partial.layersPulledByTableOfContents(), "layers podman pulled through their table of contents");
        EngineChecks.assertAlike(lab.viaPodman(lab.amd64.reference()), new EngineLab.Seen(partial.run(target), partial.tree(target)),
                "podman with partial pulls, zstd:chunked");
    }

    /** The way back: a zstd OCI image to Docker v2s2 with gzip layers, for clients that read nothing else. */
    @Test
    void aV2s2ImageMadeFromAZstdImageRunsAndUnpacksLikeTheGzipOriginal() {
        String zstd = lab.ref("engines/way-back:zstd");
        lab.recast("convert", lab.amd64.reference(), zstd, "--compression", "zstd");
        String target = lab.ref("engines/way-back:v2s2");
        lab.recast("convert", zstd, target, "--format", "v2s2");

        JsonNode manifest = RegistryImages.rawManifest(lab.registry, "engines/way-back:v2s2");
        assertEquals(DOCKER_MANIFEST, manifest.path("mediaType").asText());
        assertEquals(List.of("gzip", "gzip", "gzip"), mediaTypes(manifest.path("layers")).stream()
                .map(t -> t.equals("application/vnd.docker.image.rootfs.diff.tar.gzip") ? "gzip" : t).toList());
        EngineChecks.assertAlike(lab.viaContainerd(lab.amd64.reference()), lab.viaContainerd(target), "containerd, way back");
        EngineChecks.assertAlike(lab.viaPodman(lab.amd64.reference()), lab.viaPodman(target), "podman, way back");
    }

    /**
     * Runs the variants index in both engines and reads what each took: the layers ctr unpacked carry
     * {@code containerd.io/uncompressed}; podman's layers.json records the compressed digests it pulled.
     */
    private static void assertEnginesTookGzip(String target, List<String> gzipLayers, List<String> zstdLayers,
                                              String gzipManifest, String zstdManifest) {
        EngineChecks.assertAlike(lab.viaContainerd(lab.amd64.reference()), lab.viaContainerd(target), "containerd, variants");
        Map<String, String> content = lab.containerd().content(EngineLab.storeName(target));
        for (String layer : gzipLayers) {
            assertTrue(content.getOrDefault(layer, "").contains("containerd.io/uncompressed="),
                    "ctr unpacked the gzip layer " + layer + ": " + content);
        }
        for (String layer : zstdLayers) {
            assertTrue(content.containsKey(layer), "ctr fetches every variant for its platform: " + layer + ": " + content);
            assertFalse(content.get(layer).contains("containerd.io/uncompressed="), "ctr unpacked the zstd layer " + layer);
        }
        assertTrue(content.containsKey(gzipManifest) && content.containsKey(zstdManifest), content.toString());

        EngineChecks.assertAlike(lab.viaPodman(lab.amd64.reference()), lab.viaPodman(target), "podman, variants");
        Podman podman = lab.podman(EngineLab.storeName(target));
        assertEquals(gzipLayers, podman.pulledLayerBlobs(), "podman pulled the gzip variant's layers");
        List<String> recorded = podman.repoDigests(target);
        assertTrue(recorded.contains(gzipManifest) && !recorded.contains(zstdManifest), "podman chose the gzip variant: " + recorded);
    }

    /** The layer digests of a variants index's child manifest, each of the given media type. */
    private static List<String> layers(JsonNode child, String mediaType) {
        JsonNode manifest = RegistryImages.rawManifest(lab.registry, "engines/variants@" + child.path("digest").asText());
        List<String> digests = new ArrayList<>();
        manifest.path("layers").forEach(l -> {
            assertEquals(mediaType, l.path("mediaType").asText(), l.toString());
            digests.add(l.path("digest").asText());
        });
        return digests;
    }
}
