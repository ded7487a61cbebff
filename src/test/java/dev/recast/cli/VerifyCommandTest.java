package dev.recast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recast.model.Descriptor;
import dev.recast.registry.ImageStores;
import dev.recast.registry.http.RegistrySettings;
import dev.recast.registry.reference.ImageReference;
import dev.recast.registry.referrers.ReferrerAttacher;
import dev.recast.registry.store.ImageStore;
import dev.recast.testing.LabHttp;
import dev.recast.testing.LabRegistry;
import dev.recast.testing.ReferrerFixtures;
import dev.recast.testing.TestLayout;
import dev.recast.testing.UniqueImages;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Provenance on converted images, and {@code recast verify} re-checking them, on the real lab registry. */
@Tag("registry")
class VerifyCommandTest {
    private static final LabRegistry LAB = LabRegistry.plain();
    private static final LabHttp HTTP = new LabHttp(LAB);
    private final String repository = "provenance/" + UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    Path tmp;

    private static CliRun run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--insecure", LAB.host()));
        return CliRun.of(all);
    }

    private static JsonNode json(CliRun run) throws Exception {
        assertEquals(0, run.code(), run.err() + run.out());
        return new ObjectMapper().readTree(run.out());
    }

    /** Converts a fresh image of {@code layers} layers to {@code :v1-oci}; returns the JSON report. */
    private JsonNode converted(int layers, String... options) throws Exception {
        String source = UniqueImages.push(LAB, tmp, repository, "v1", layers);
        List<String> args = new ArrayList<>(List.of("convert", source, LAB.ref(repository + ":v1-oci"), "--json"));
        args.addAll(List.of(options));
        return json(run(args.toArray(String[]::new)));
    }

    /** The provenance artifacts the fallback tag index of {@code digest} lists. */
    private List<JsonNode> provenanceOf(String digest) {
        JsonNode index = HTTP.manifestJson(repository, digest.replace(':', '-'));
        List<JsonNode> found = new ArrayList<>();
        if (index != null) {
            index.path("manifests").forEach(entry -> {
                if ("application/vnd.in-toto+json".equals(entry.path("artifactType").asText())) {
                    found.add(entry);
                }
            });
        }
        return found;
    }

    private JsonNode statement(JsonNode artifactEntry) {
        JsonNode artifact = HTTP.manifestJson(repository, artifactEntry.path("digest").asText());
        return LabHttp.json(HTTP.blob(repository, artifact.path("layers").get(0).path("digest").asText()));
    }

    @Test
    void aConvertedImageCarriesItsProvenanceAndVerifies() throws Exception {
        JsonNode report = converted(3);
        String target = report.path("targetDigest").asText();
        List<JsonNode> artifacts = provenanceOf(target);
        assertEquals(1, artifacts.size(), "fallback index of " + target);
        assertTrue(report.path("notes").toString().contains("provenance " + artifacts.getFirst().path("digest").asText()
                + " attached to " + target), report.path("notes").toString());

        JsonNode statement = statement(artifacts.getFirst());
        assertEquals("https://in-toto.io/Statement/v1", statement.path("_type").asText());
        assertEquals("https://slsa.dev/provenance/v1", statement.path("predicateType").asText());
        assertEquals(target, "sha256:" + statement.path("subject").get(0).path("digest").path("sha256").asText());
        JsonNode source = HTTP.manifestJson(repository, "v1");
        JsonNode config = LabHttp.json(HTTP.blob(repository, source.path("config").path("digest").asText()));
        JsonNode byproducts = statement.path("predicate").path("runDetails").path("byproducts");
        JsonNode converted = HTTP.manifestJson(repository, target);
        for (int i = 0; i < 3; i++) {
            JsonNode layer = byproducts.get(i + 1);
            assertEquals(source.path("layers").get(i).path("digest").asText(),
                    layer.path("annotations").path("sourceDigest").asText());
            assertEquals(converted.path("layers").get(i).path("digest").asText(),
                    "sha256:" + layer.path("digest").path("sha256").asText());
            assertEquals(config.path("rootfs").path("diff_ids").get(i).asText(),
                    layer.path("annotations").path("diffID").asText());
        }

        CliRun verify = run("verify", LAB.ref(repository + ":v1-oci"));
        assertEquals(0, verify.code(), verify.err() + verify.out());
        assertTrue(verify.out().contains("verified"), verify.out());
        assertEquals(3, verify.out().lines().filter(l -> l.contains("passed") && l.matches(".*layer [0-9] sha256:.*")).count(),
                verify.out());
        JsonNode checks = json(run("verify", LAB.ref(repository + ":v1-oci"), "--json"));
        assertEquals(artifacts.getFirst().path("digest").asText(), checks.path("provenance").asText());
        assertTrue(checks.path("verified").asBoolean(), checks.toString());
    }

    @Test
    void aCorruptedConvertedLayerFailsVerificationNamingTheLayer() throws Exception {
        JsonNode report = converted(2);
        String layer = HTTP.manifestJson(repository, "v1-oci").path("layers").get(1).path("digest").asText();
        Path data = LAB.blobData(layer);
        byte[] bytes = Files.readAllBytes(data);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(data, bytes);

        CliRun verify = run("verify", LAB.ref(repository + ":v1-oci"));
        assertEquals(1, verify.code(), verify.out());
        String failed = verify.out().lines().filter(l -> l.trim().startsWith("failed")).toList().toString();
        assertTrue(failed.contains("layer 1 " + layer), verify.out());
        assertFalse(failed.contains("layer 0"), verify.out());
        assertTrue(verify.out().contains("NOT verified"), verify.out());
        assertNotNull(report);
    }

    @Test
    void aSwappedLayerUnderACopiedProvenanceFailsNamingTheLayer() throws Exception {
        converted(2);
        JsonNode original = HTTP.manifestJson(repository, "v1-oci");
        String originalDigest = LabHttp.sha256(HTTP.manifest(repository, "v1-oci"));
        // another valid zstd layer in place of layer 0, and the old provenance attached to the new manifest
        byte[] other = TestLayout.zstd(new dev.recast.testing.LayerTar().file("evil", "payload").build());
        String otherDigest = HTTP.putBlob(repository, other);
        com.fasterxml.jackson.databind.node.ObjectNode swapped = original.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) swapped.path("layers").get(0)).put("digest", otherDigest)
                .put("size", other.length);
        byte[] swappedBytes = new ObjectMapper().writeValueAsBytes(swapped);
        String swappedDigest = HTTP.putManifest(repository, "v1-oci", "application/vnd.oci.image.manifest.v1+json",
                swappedBytes);
        JsonNode entry = provenanceOf(originalDigest).getFirst();
        String artifact = new String(HTTP.manifest(repository, entry.path("digest").asText()), StandardCharsets.UTF_8)
                .replace(originalDigest, swappedDigest);
        String artifactDigest = HTTP.putManifest(repository, LabHttp.sha256(artifact.getBytes(StandardCharsets.UTF_8)),
                "application/vnd.oci.image.manifest.v1+json", artifact.getBytes(StandardCharsets.UTF_8));
        String index = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[{"
                + "\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + artifactDigest
                + "\",\"size\":" + artifact.length() + ",\"artifactType\":\"application/vnd.in-toto+json\"}]}";
        HTTP.putManifest(repository, swappedDigest.replace(':', '-'), "application/vnd.oci.image.index.v1+json",
                index.getBytes(StandardCharsets.UTF_8));

        CliRun verify = run("verify", LAB.ref(repository + ":v1-oci"));
        assertEquals(1, verify.code(), verify.out());
        List<String> failed = verify.out().lines().filter(l -> l.trim().startsWith("failed")).toList();
        assertTrue(failed.stream().anyMatch(l -> l.contains("provenance") && l.contains("is about " + originalDigest)),
                verify.out());
        assertTrue(failed.stream().anyMatch(l -> l.contains("layers") && l.contains("layer 0 is " + otherDigest)),
                verify.out());
        assertTrue(failed.stream().anyMatch(l -> l.contains("layer 0 " + otherDigest) && l.contains("decompresses to")),
                verify.out());
        assertTrue(verify.out().lines().anyMatch(l -> l.trim().startsWith("passed") && l.contains("layer 1 ")),
                verify.out());
    }

    @Test
    void aDeletedSourceFailsVerificationSayingSo() throws Exception {
        JsonNode report = converted(1);
        HTTP.deleteManifest(repository, report.path("sourceDigest").asText());

        CliRun verify = run("verify", LAB.ref(repository + ":v1-oci"));
        assertEquals(1, verify.code(), verify.out());
        assertTrue(verify.out().lines().anyMatch(l -> l.trim().startsWith("failed") && l.contains("source")
                && l.contains(report.path("sourceDigest").asText() + " no longer exists")), verify.out());
        // the converted image itself is still intact
        assertTrue(verify.out().lines().anyMatch(l -> l.trim().startsWith("passed") && l.contains("layer 0 ")),
                verify.out());
    }

    @Test
    void provenanceFalseAttachesNoneAndVerifyFindsNone() throws Exception {
        JsonNode report = converted(1, "--provenance=false");
        assertEquals(List.of(), provenanceOf(report.path("targetDigest").asText()));
        CliRun verify = run("verify", LAB.ref(repository + ":v1-oci"));
        assertEquals(1, verify.code(), verify.out());
        assertTrue(verify.out().contains("no Recast provenance refers to " + report.path("targetDigest").asText()),
                verify.out());
    }

    @Test
    void aDryRunAttachesNothing() throws Exception {
        JsonNode report = converted(1, "--dry-run");
        assertEquals("PLANNED", report.path("outcome").asText());
        assertNull(HTTP.manifest(repository, report.path("targetDigest").asText().replace(':', '-')));
        assertFalse(report.path("notes").toString().contains("provenance"), report.toString());
    }

    @Test
    void anIndexGetsAProvenancePerImageAndOneForItselfAndVerifies() throws Exception {
        JsonNode report = json(run("convert", LAB.ref("fixtures/multi:latest"), LAB.ref(repository + ":multi-oci"),
                "--json"));
        assertEquals(2, report.path("images").size());
        assertEquals(1, provenanceOf(report.path("targetDigest").asText()).size());
        for (JsonNode image : report.path("images")) {
            assertEquals(1, provenanceOf(image.path("targetDigest").asText()).size(), image.toString());
        }
        JsonNode indexStatement = statement(provenanceOf(report.path("targetDigest").asText()).getFirst());
        assertEquals(2, indexStatement.path("predicate").path("runDetails").path("byproducts").size(),
                indexStatement.toString());

        CliRun verify = run("verify", LAB.ref(repository + ":multi-oci"));
        assertEquals(0, verify.code(), verify.out());
        assertTrue(verify.out().lines().anyMatch(l -> l.contains("passed") && l.contains("linux/amd64 layer 0")),
                verify.out());
        assertTrue(verify.out().lines().anyMatch(l -> l.contains("passed") && l.contains("linux/arm64")),
                verify.out());
    }

    @Test
    void aSignedSourceWithAnSbomAndAnAttestationIsCarriedReportedAndVerified() throws Exception {
        String source = UniqueImages.push(LAB, tmp, repository, "v1", 2);
        try (ImageStores stores = new ImageStores(RegistrySettings.defaults())) {
            ImageStore store = stores.open(ImageReference.parse(source));
            Descriptor image = store.requireManifest("v1").descriptor();
            new ReferrerAttacher().attach(store, ReferrerFixtures.sbom(image, repository));
            ReferrerFixtures.cosignAttestation(store, image);
            ReferrerFixtures.cosignSignature(store, image);
        }
        JsonNode report = json(run("convert", source, LAB.ref(repository + ":v1-oci"), "--json"));
        String target = report.path("targetDigest").asText();

        List<String> attached = new ArrayList<>();
        HTTP.manifestJson(repository, target.replace(':', '-')).path("manifests")
                .forEach(entry -> attached.add(entry.path("artifactType").asText()));
        assertEquals(List.of("application/spdx+json", "application/vnd.dsse.envelope.v1+json",
                "application/vnd.in-toto+json"), attached.stream().sorted().toList());
        assertNull(HTTP.manifest(repository, target.replace(':', '-') + ".sig"), "a signature is never copied");
        assertTrue(report.path("referrers").toString().contains("converted image unsigned"), report.toString());

        CliRun verify = run("verify", LAB.ref(repository + ":v1-oci"));
        assertEquals(0, verify.code(), verify.out());
        assertTrue(verify.out().contains("records the conversion of " + LAB.host() + "/" + repository + ":v1"),
                verify.out());
    }

    @Test
    void anImageConvertedTwiceIsVerifiedAgainstItsOwnProvenanceNotTheOneCarriedFromItsSource() throws Exception {
        converted(1);
        JsonNode again = json(run("convert", LAB.ref(repository + ":v1-oci"), LAB.ref(repository + ":v1-gz"),
                "--compression", "gzip", "--json"));
        String target = again.path("targetDigest").asText();
        // the first conversion's provenance came along as an attestation of the source, and the second's was added
        assertEquals(2, provenanceOf(target).size(), again.toString());

        CliRun verify = run("verify", LAB.ref(repository + ":v1-gz"));
        assertEquals(0, verify.code(), verify.out());
        assertTrue(verify.out().contains("records the conversion of " + LAB.host() + "/" + repository + ":v1-oci"),
                verify.out());
    }
}
