package dev.recast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recast.testing.ExternalTools;
import dev.recast.testing.LabRegistry;
import dev.recast.testing.LayoutImages;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("registry")
class RecastMainTest {
    private static final String SAMPLE = "oci:" + Path.of("samples/hello").toAbsolutePath() + ":v2s2";

    @TempDir
    Path tmp;

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = RecastMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void convertPrintsTheLayerTable() {
        Path target = tmp.resolve("out");
        Run run = run("convert", SAMPLE, "oci:" + target + ":oci");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("CONVERTED"), run.out());
        assertEquals(3, run.out().lines().filter(l -> l.contains("RECOMPRESSED")).count(), run.out());
        assertTrue(LayoutImages.taggedDigest(target, "oci") != null);
    }

    @Test
    void jsonReportIsMachineReadable() throws Exception {
        Path target = tmp.resolve("out");
        Run run = run("convert", SAMPLE, "oci:" + target + ":oci", "--json", "--compression=zstd", "--level", "5");
        assertEquals(0, run.code(), run.err());
        JsonNode report = new ObjectMapper().readTree(run.out());
        assertEquals("CONVERTED", report.path("outcome").asText());
        assertEquals("application/vnd.oci.image.manifest.v1+json", report.path("targetMediaType").asText());
        assertEquals(LayoutImages.taggedDigest(target, "oci"), report.path("targetDigest").asText());
        assertEquals("linux/amd64", report.path("images").get(0).path("platform").asText());
        assertEquals(3, report.path("images").get(0).path("layers").size());
        assertEquals("zstd:5", LayoutImages.manifest(target, report.path("targetDigest").asText())
                .path("annotations").path("dev.recast.conversion").asText());
    }

    @Test
    void dryRunLeavesTheTargetAlone() {
        Path target = tmp.resolve("out");
        Run run = run("convert", SAMPLE, "oci:" + target + ":oci", "--dry-run");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().startsWith("[dry run]"), run.out());
        assertFalse(Files.exists(target.resolve("index.json")));
    }

    @Test
    void usageErrorsExitTwoAndFailuresExitOne() {
        assertEquals(2, run().code());
        assertEquals(2, run("convert", SAMPLE).code());
        assertEquals(2, run("convert", SAMPLE, "oci:/tmp/x", "--bogus").code());
        assertEquals(2, run("frobnicate").code());
        Run badReferrers = run("convert", SAMPLE, "oci:" + tmp + "/x:y", "--referrers", "all");
        assertEquals(2, badReferrers.code());
        assertTrue(badReferrers.err().contains("--referrers must be copy, report or skip"), badReferrers.err());
        Run badLevel = run("convert", SAMPLE, "oci:" + tmp + "/x:y", "--level", "99");
        assertEquals(1, badLevel.code());
        assertTrue(badLevel.err().contains("out of range"), badLevel.err());
        Run missing = run("convert", "oci:" + tmp + "/none:x", "oci:" + tmp + "/y:z");
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("not found") || missing.err().contains("not an OCI layout"), missing.err());
        assertEquals(0, run("--help").code());
    }

    @Test
    void convertsBetweenRegistryReferences() {
        LabRegistry lab = LabRegistry.plain();
        String source = "docker://" + lab.host() + "/fixtures/hello:v2s2";
        String target = "docker://" + lab.host() + "/fixtures/hello:cli-" + System.nanoTime();
        // a cache of this test's own: whatever other tests converted into this registry, nothing is cached yet
        String cache = "cli-cache/" + System.nanoTime();
        Run run = run("convert", source, target, "--cache-repository", cache);
        assertEquals(0, run.code(), run.err());
        assertEquals(3, run.out().lines().filter(l -> l.contains("RECOMPRESSED")).count(), run.out());
        assertTrue(run.out().contains("3 recompressed, 0 reused"), run.out());
        String raw = ExternalTools.check("skopeo", "inspect", "--raw", "--tls-verify=false", target);
        assertTrue(raw.contains("application/vnd.oci.image.layer.v1.tar+zstd"), raw);

        Run again = run("convert", source, target, "--cache-repository", cache);
        assertTrue(again.out().contains("ALREADY_CONVERTED"), again.out());

        Run elsewhere = run("convert", source, "docker://" + lab.host() + "/cli-other/hello:" + System.nanoTime(),
                "--cache-repository=" + cache);
        assertEquals(3, elsewhere.out().lines().filter(l -> l.contains(" REUSED ")).count(), elsewhere.out());
        assertTrue(elsewhere.out().contains("0 recompressed, 3 reused"), elsewhere.out());
        Run uncached = run("convert", source, "docker://" + lab.host() + "/cli-other/hello:" + System.nanoTime(),
                "--cache-repository=" + cache, "--no-cache");
        assertEquals(3, uncached.out().lines().filter(l -> l.contains("RECOMPRESSED")).count(), uncached.out());
        assertEquals(2, run("convert", source, target, "--cache-repository").code(), "the option needs a value");
    }

    @Test
    void registryAuthFailureExitsOneWithoutLeakingTheSecret() {
        LabRegistry lab = LabRegistry.htpasswd();
        Run run = run("convert", "docker://" + lab.host() + "/fixtures/hello:v2s2",
                "docker://" + lab.host() + "/fixtures/hello:never", "--creds", "lab:not-the-password");
        assertEquals(1, run.code());
        assertTrue(run.err().contains("upstream auth"), run.err());
        assertFalse(run.err().contains("not-the-password"), run.err());
    }

    @Test
    void indexCommandBuildsAnIndexFromTwoTags() throws Exception {
        LabRegistry lab = LabRegistry.plain();
        String target = "docker://" + lab.host() + "/fixtures/app:cli-index-" + System.nanoTime();
        Run run = run("index", target, "docker://" + lab.host() + "/fixtures/app:amd64",
                "docker://" + lab.host() + "/fixtures/app:arm64", "--convert", "--annotation",
                "org.opencontainers.image.source=https://example.com/app", "--json");
        assertEquals(0, run.code(), run.err());
        JsonNode report = new ObjectMapper().readTree(run.out());
        assertEquals("linux/arm64/v8", report.path("entries").get(1).path("platform").asText());
        JsonNode index = new ObjectMapper().readTree(ExternalTools.check("skopeo", "inspect", "--raw", "--tls-verify=false", target));
        assertEquals("https://example.com/app", index.path("annotations").path("org.opencontainers.image.source").asText());
        assertEquals(report.path("digest").asText(), "sha256:" + sha256(ExternalTools.check("skopeo", "inspect", "--raw",
                "--tls-verify=false", target)));

        Run duplicate = run("index", target, "docker://" + lab.host() + "/fixtures/app:amd64",
                "docker://" + lab.host() + "/fixtures/hello:v2s2");
        assertEquals(1, duplicate.code());
        assertTrue(duplicate.err().contains("conflict"), duplicate.err());
    }

    private static String sha256(String text) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
