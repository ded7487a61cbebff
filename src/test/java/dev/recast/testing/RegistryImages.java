package dev.recast.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads images out of lab registries with skopeo and checks them with zstd/gzip, independently of Recast's code. */
public final class RegistryImages {
    public static final String ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";
    private static final ObjectMapper JSON = new ObjectMapper();

    private RegistryImages() {
    }

    /** The stored manifest as skopeo reads it. */
    public static JsonNode rawManifest(LabRegistry registry, String repositoryAndTag) {
        List<String> command = new ArrayList<>(List.of("skopeo", "inspect", "--raw"));
        command.addAll(registry.skopeoInspectArgs());
        command.add(registry.ref(repositoryAndTag));
        try {
            return JSON.readTree(ExternalTools.check(command.toArray(String[]::new)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The manifest digest skopeo reports. */
    public static String rawDigest(LabRegistry registry, String repositoryAndTag) {
        List<String> command = new ArrayList<>(List.of("skopeo", "inspect", "--format", "{{.Digest}}"));
        command.addAll(registry.skopeoInspectArgs());
        command.add(registry.ref(repositoryAndTag));
        return ExternalTools.check(command.toArray(String[]::new)).trim();
    }

    /** A full read of every blob (skopeo checks each digest) into an OCI layout, tagged {@code x}. */
    public static Path skopeoCopy(LabRegistry registry, String repositoryAndTag, Path layout) {
        return skopeoCopy(registry, repositoryAndTag, "oci:" + layout + ":x", layout, "--all");
    }

    /** skopeo's dir: transport keeps manifest and blobs byte for byte (its oci: transport rewrites Docker configs). */
    public static Path skopeoCopyAsIs(LabRegistry registry, String repositoryAndTag, Path dir) {
        return skopeoCopy(registry, repositoryAndTag, "dir:" + dir, dir);
    }

    private static Path skopeoCopy(LabRegistry registry, String repositoryAndTag, String destination, Path dir,
                                   String... options) {
        List<String> command = new ArrayList<>(List.of("skopeo", "copy", "-q"));
        command.addAll(List.of(options));
        command.addAll(registry.skopeoSourceArgs());
        command.add(registry.ref(repositoryAndTag));
        command.add(destination);
        ExternalTools.check(command.toArray(String[]::new));
        return dir;
    }

    /** skopeo copies source and result out of the registry; then layers, diff_ids and trees are compared. */
    public static void assertFaithful(LabRegistry source, String sourceRef, LabRegistry target, String targetRef,
                                      Path scratch) {
        JsonNode raw = rawManifest(target, targetRef);
        assertEquals("application/vnd.oci.image.manifest.v1+json", raw.path("mediaType").asText(), raw.toString());
        raw.path("layers").forEach(l -> assertEquals(ZSTD, l.path("mediaType").asText()));
        try {
            Files.createDirectories(scratch);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path src = skopeoCopyAsIs(source, sourceRef, scratch.resolve("src"));
        Path dst = skopeoCopy(target, targetRef, scratch.resolve("dst"));
        LayoutImages.assertFaithfulConversion(LayoutImages.readJson(src.resolve("manifest.json")),
                digest -> src.resolve(digest.substring("sha256:".length())),
                LayoutImages.manifest(dst, LayoutImages.taggedDigest(dst, "x")), digest -> LayoutImages.blob(dst, digest), ZSTD);
    }

    /**
     * Checks a converted index: skopeo copies every platform (all digests checked) and each layer of each image
     * decompresses to its config's diff_id.
     */
    public static void assertIndexLayersMatchDiffIds(LabRegistry target, String targetRef, Path scratch) {
        JsonNode raw = rawManifest(target, targetRef);
        assertEquals("application/vnd.oci.image.index.v1+json", raw.path("mediaType").asText(), raw.toString());
        Path dst = skopeoCopy(target, targetRef, scratch);
        int images = 0;
        for (JsonNode child : raw.path("manifests")) {
            JsonNode manifest = LayoutImages.manifest(dst, child.path("digest").asText());
            JsonNode config = LayoutImages.readJson(LayoutImages.blob(dst, manifest.path("config").path("digest").asText()));
            JsonNode diffIds = config.path("rootfs").path("diff_ids");
            assertEquals(diffIds.size(), manifest.path("layers").size());
            for (int i = 0; i < diffIds.size(); i++) {
                JsonNode layer = manifest.path("layers").get(i);
                assertEquals(ZSTD, layer.path("mediaType").asText());
                assertEquals(diffIds.get(i).asText(), ExternalTools.decompressedSha256(
                        LayoutImages.blob(dst, layer.path("digest").asText())), "layer " + i + " of " + child);
            }
            images++;
        }
        assertTrue(images > 0, "the index lists images");
    }

    /**
     * Reads the registry's own storage: every manifest revision stored in the repository may only reference blobs
     * linked into that repository and manifests stored in it. A manifest pointing at nothing is what a half-done
     * write would leave.
     */
    public static void assertNoDanglingManifests(LabRegistry registry, String repository) {
        Path repo = registry.storage().resolve("docker/registry/v2/repositories").resolve(repository);
        Path revisions = repo.resolve("_manifests/revisions/sha256");
        if (!Files.isDirectory(revisions)) {
            return;
        }
        try (Stream<Path> stored = Files.list(revisions)) {
            for (Path revision : stored.toList()) {
                String digest = "sha256:" + revision.getFileName();
                JsonNode manifest = JSON.readTree(Files.readAllBytes(registry.blobData(digest)));
                List<String> blobs = new ArrayList<>();
                if (manifest.has("config")) {
                    blobs.add(manifest.path("config").path("digest").asText());
                }
                manifest.path("layers").forEach(l -> {
                    if (!l.has("urls")) {
                        blobs.add(l.path("digest").asText());
                    }
                });
                for (String blob : blobs) {
                    assertTrue(Files.exists(repo.resolve("_layers/sha256").resolve(blob.substring(7)).resolve("link")),
                            repository + "@" + digest + " references " + blob + ", which the repository does not hold");
                }
                manifest.path("manifests").forEach(m -> assertTrue(Files.isDirectory(revisions.resolve(
                        m.path("digest").asText().substring(7))), repository + "@" + digest + " lists "
                        + m.path("digest").asText() + ", which the repository does not hold"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
