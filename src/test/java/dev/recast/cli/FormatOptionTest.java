package dev.recast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recast.testing.LabRegistry;
import dev.recast.testing.RegistryImages;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code recast convert --format v2s2}: the way back from the command line, and what it refuses. */
@Tag("registry")
class FormatOptionTest {
    private final LabRegistry lab = LabRegistry.plain();
    private final String repository = "cli-wayback-" + UUID.randomUUID().toString().substring(0, 8) + "/hello";

    private CliRun convert(String from, String to, String... options) {
        List<String> args = new java.util.ArrayList<>(List.of("convert", "docker://" + lab.host() + "/" + from,
                "docker://" + lab.host() + "/" + repository + ":" + to, "--progress", "none"));
        args.addAll(List.of(options));
        return CliRun.of(args);
    }

    @Test
    void formatV2s2WritesDockerV2s2WithGzipLayers() {
        assertEquals(0, convert("fixtures/hello:v2s2", "zstd").code());

        CliRun back = convert(repository + ":zstd", "back", "--format", "v2s2");

        assertEquals(0, back.code(), back.err());
        assertEquals(3, back.out().lines().filter(l -> l.contains("RECOMPRESSED")).count(), back.out());
        JsonNode raw = RegistryImages.rawManifest(lab, repository + ":back");
        assertEquals("application/vnd.docker.distribution.manifest.v2+json", raw.path("mediaType").asText());
        raw.path("layers").forEach(layer -> assertEquals("application/vnd.docker.image.rootfs.diff.tar.gzip",
                layer.path("mediaType").asText()));
    }

    @Test
    void v2s2WithZstdAndFormatOutsideConvertAreRefused() {
        CliRun zstd = convert("fixtures/hello:v2s2", "never", "--format=v2s2", "--compression", "zstd");
        assertEquals(1, zstd.code());
        assertTrue(zstd.err().contains("gzip layers only"), zstd.err());
        CliRun unknown = convert("fixtures/hello:v2s2", "never", "--format", "v2s1");
        assertEquals(1, unknown.code());
        assertTrue(unknown.err().contains("unknown format 'v2s1'"), unknown.err());
        CliRun index = CliRun.of(List.of("index", "docker://" + lab.host() + "/" + repository + ":never",
                "docker://" + lab.host() + "/fixtures/app:amd64", "--format", "v2s2"));
        assertEquals(2, index.code());
        assertTrue(index.err().contains("--format is an option of convert only"), index.err());
        assertFalse(lab.tags(repository).contains("never"));
    }
}
