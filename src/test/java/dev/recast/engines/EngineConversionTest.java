package dev.recast.engines;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recast.testing.ExternalTools;
import dev.recast.testing.Podman;
import dev.recast.testing.RegistryImages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Recast's outputs in real engines: containerd 1.6 ({@code ctr}) and podman 4.3 pull them, run the busybox image's
 * entrypoint and unpack the same tree as from the gzip original (names, types, modes, owners, sizes, contents, link
 * targets).
 */
@Tag("registry")
@Tag("engines")
class EngineConversionTest {
    private static EngineLab lab;

    @BeforeAll
    static void lab() {
        lab = EngineLab.shared();
    }

    @Test
    void bothEnginesRunTheGzipOriginalWithEveryTrickOfItsLayersApplied() {
        EngineChecks.assertEveryTrickApplied(lab.viaContainerd(lab.amd64.reference()), "containerd");
        EngineChecks.assertEveryTrickApplied(lab.viaPodman(lab.amd64.reference()), "podman");
    }

    @Test
    void aZstdOciImageRunsAndUnpacksLikeItsGzipOriginal() {
        String target = lab.ref("engines/zstd:single");
        lab.recast("convert", lab.amd64.reference(), target, "--compression", "zstd");

        JsonNode manifest = RegistryImages.rawManifest(lab.registry, "engines/zstd:single");
        assertEquals("application/vnd.oci.image.manifest.v1+json", manifest.path("mediaType").asText());
        assertEquals(List.of(RegistryImages.ZSTD, RegistryImages.ZSTD, RegistryImages.ZSTD), mediaTypes(manifest.path("layers")));
        EngineChecks.assertAlike(lab.viaContainerd(lab.amd64.reference()), lab.viaContainerd(target), "containerd, zstd image");
        EngineChecks.assertAlike(lab.viaPodman(lab.amd64.reference()), lab.viaPodman(target), "podman, zstd image");
    }

    /** An index of two platforms: each engine picks the amd64 image by platform, fetches only that one, and runs it. */
    @Test
    void aZstdOciIndexOfTwoPlatformsRunsItsAmd64ImageLikeTheOriginal() {
        String target = lab.ref("engines/index:zstd");
        lab.recast("index", target, lab.amd64.reference(), lab.arm64.reference(), "--convert", "--compression", "zstd");

        JsonNode index = RegistryImages.rawManifest(lab.registry, "engines/index:zstd");
        assertEquals("application/vnd.oci.image.index.v1+json", index.path("mediaType").asText());
        String amd64 = childFor(index, "amd64");
        String arm64 = childFor(index, "arm64");

        EngineChecks.assertAlike(lab.viaContainerd(lab.amd64.reference()), lab.viaContainerd(target), "containerd, zstd index");
        var content = lab.containerd().content(EngineLab.storeName(target));
        assertTrue(content.containsKey(amd64), "ctr fetched the amd64 image " + amd64 + ": " + content.keySet());
        assertFalse(content.containsKey(arm64), "ctr fetched the arm64 image too: " + content.keySet());

        EngineChecks.assertAlike(lab.viaPodman(lab.amd64.reference()), lab.viaPodman(target), "podman, zstd index");
        List<String> recorded = lab.podman(EngineLab.storeName(target)).repoDigests(target);
        assertTrue(recorded.contains(amd64) && !recorded.contains(arm64), "podman chose the amd64 image: " + recorded);
    }

    /**
     * The control for Recast's zstd:chunked output ({@link EngineVariantsTest}): podman's own zstd:chunked push of the
     * busybox image is pulled here through each layer's table of contents, and unpacks like the gzip original but for
     * owners: the tables of contents record them, and the partial pull of podman 4.3 makes every file root's. (This
     * podman reads the table of contents only from the annotations {@code io.containers.zstd-chunked.*}.)
     */
    @Test
    void podmansOwnZstdChunkedImageIsPulledThroughItsTablesOfContentsAndUnpacksLikeTheOriginal() {
        EngineLab.Seen original = lab.viaPodman(lab.amd64.reference());
        Path layout = lab.scratch("podman-chunked");
        lab.podman(EngineLab.storeName(lab.amd64.reference())).pushZstdChunked(lab.amd64.reference(), "oci:" + layout + ":chunked");
        String target = lab.ref("engines/podman-chunked:zstd");
        ExternalTools.check("skopeo", "copy", "-q", "--preserve-digests", "--dest-tls-verify=false",
                "oci:" + layout + ":chunked", "docker://" + target);

        EngineChecks.assertOwnersInTablesOfContents(lab, "engines/podman-chunked",
                RegistryImages.rawManifest(lab.registry, "engines/podman-chunked:zstd"));
        Podman partial = lab.partialPullPodman("podman-chunked");
        partial.pull(target);
        assertEquals(3, partial.layersPulledByTableOfContents(), "layers pulled partially");
        EngineChecks.assertAlikeButOwners(original, new EngineLab.Seen(partial.run(target), partial.tree(target)),
                "podman with partial pulls, podman's zstd:chunked");
        EngineChecks.assertAlike(lab.viaContainerd(lab.amd64.reference()), lab.viaContainerd(target),
                "containerd, podman's zstd:chunked");
    }

    static List<String> mediaTypes(JsonNode descriptors) {
        List<String> types = new ArrayList<>();
        descriptors.forEach(d -> types.add(d.path("mediaType").asText()));
        return types;
    }

    /** The digest of the index's only image for linux/ARCH. */
    static String childFor(JsonNode index, String architecture) {
        List<String> digests = new ArrayList<>();
        index.path("manifests").forEach(m -> {
            if (m.path("platform").path("architecture").asText().equals(architecture)) {
                digests.add(m.path("digest").asText());
            }
        });
        assertEquals(1, digests.size(), "images for " + architecture + " in " + index);
        return digests.getFirst();
    }
}
