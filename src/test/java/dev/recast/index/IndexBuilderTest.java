package dev.recast.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.convert.ConversionOptions;
import dev.recast.convert.ImageConverter;
import dev.recast.model.Descriptor;
import dev.recast.model.MediaType;
import dev.recast.model.Platform;
import dev.recast.registry.ImageStores;
import dev.recast.registry.http.CredentialSource;
import dev.recast.registry.http.RegistrySettings;
import dev.recast.registry.http.TransferCounters;
import dev.recast.registry.reference.ImageReference;
import dev.recast.testing.ExternalTools;
import dev.recast.testing.LabRegistry;
import dev.recast.testing.LayerTar;
import dev.recast.testing.TestLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Index building against the lab registry, checked with skopeo. */
@Tag("registry")
class IndexBuilderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private final ImageStores stores = new ImageStores(RegistrySettings.defaults().withCredentials(CredentialSource.none()));
    private final ImageConverter converter = new ImageConverter(stores, 3, ImageConverter.Limits.DEFAULT);
    private final IndexBuilder builder = new IndexBuilder(stores, converter, ImageConverter.Limits.DEFAULT.configBytes());
    private final LabRegistry lab = LabRegistry.plain();

    @AfterEach
    void close() {
        converter.close();
        stores.close();
    }

    private IndexReport build(String target, boolean convert, boolean replace, boolean append, IndexSource... sources) {
        return builder.build(new IndexRequest(ImageReference.parse(target), Arrays.asList(sources), convert,
                ConversionOptions.DEFAULT, replace, append, Map.of()));
    }

    private IndexSource source(String repositoryAndTag) {
        return new IndexSource(ImageReference.parse(lab.ref(repositoryAndTag)));
    }

    private IndexSource source(String repositoryAndTag, String platform) {
        return new IndexSource(ImageReference.parse(lab.ref(repositoryAndTag)), Platform.parse(platform));
    }

    private JsonNode raw(String ref) throws Exception {
        return JSON.readTree(ExternalTools.check("skopeo", "inspect", "--raw", "--tls-verify=false", ref));
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static List<String> platforms(JsonNode index) {
        return java.util.stream.StreamSupport.stream(index.path("manifests").spliterator(), false)
                .map(m -> Platform.parse(m.path("platform").path("os").asText() + "/" + m.path("platform").path("architecture").asText()
                        + (m.path("platform").has("variant") ? "/" + m.path("platform").path("variant").asText() : "")).toString())
                .toList();
    }

    @Test
    void twoSingleArchTagsBecomeAnOciIndexWithPlatformsFromTheConfigs() throws Exception {
        String target = lab.ref("fixtures/app:" + unique("multi"));
        TransferCounters.Snapshot before = stores.counters().snapshot();

        IndexReport report = build(target, false, false, false, source("fixtures/app:amd64"), source("fixtures/app:arm64"));

        TransferCounters.Snapshot delta = stores.counters().snapshot().minus(before);
        assertEquals(0, delta.blobBytesUploaded(), "children already live in the target repository");
        assertEquals(0, delta.blobsUploaded());
        JsonNode index = raw(target);
        assertEquals("application/vnd.oci.image.index.v1+json", index.path("mediaType").asText());
        assertEquals(List.of("linux/amd64", "linux/arm64/v8"), platforms(index));
        assertEquals(report.digest().toString(), JSON.readTree(ExternalTools.check("skopeo", "inspect", "--tls-verify=false", target))
                .path("Digest").asText());
        JsonNode arm = JSON.readTree(ExternalTools.check("skopeo", "inspect", "--tls-verify=false", "--override-arch", "arm64", target));
        assertEquals("arm64", arm.path("Architecture").asText());
        String armSource = JSON.readTree(ExternalTools.check("skopeo", "inspect", "--tls-verify=false", lab.ref("fixtures/app:arm64")))
                .path("Digest").asText();
        assertEquals(armSource, index.path("manifests").get(1).path("digest").asText());
        ExternalTools.check("skopeo", "copy", "-q", "--all", "--src-tls-verify=false", target, "oci:" + tmp.resolve("copy") + ":x");

        IndexReport again = build(lab.ref("fixtures/app:" + unique("again")), false, false, false,
                source("fixtures/app:amd64"), source("fixtures/app:arm64"));
        assertEquals(report.digest(), again.digest(), "same inputs, same index digest");
    }

    @Test
    void convertMakesEveryChildOciZstd() throws Exception {
        String target = lab.ref("fixtures/app:" + unique("multi-oci"));
        IndexReport report = build(target, true, false, false, source("fixtures/app:amd64"), source("fixtures/app:arm64"));

        JsonNode index = raw(target);
        assertEquals(List.of("linux/amd64", "linux/arm64/v8"), platforms(index));
        for (JsonNode child : index.path("manifests")) {
            assertEquals("application/vnd.oci.image.manifest.v1+json", child.path("mediaType").asText());
            JsonNode manifest = raw(lab.ref("fixtures/app@" + child.path("digest").asText()));
            manifest.path("layers").forEach(l -> assertEquals("application/vnd.oci.image.layer.v1.tar+zstd", l.path("mediaType").asText()));
        }
        assertEquals(2, report.images().size());
        assertEquals(2, report.totals().recompressed());
        ExternalTools.check("skopeo", "copy", "-q", "--all", "--src-tls-verify=false", target, "oci:" + tmp.resolve("copy") + ":x");
    }

    @Test
    void sourcesFromOtherRepositoriesAreMountedIntoTheTarget() throws Exception {
        String repo = unique("idx/team");
        TransferCounters.Snapshot before = stores.counters().snapshot();

        build(lab.ref(repo + ":1.0"), false, false, false, source("fixtures/app:amd64"), source("fixtures/empty-layer:v2s2", "linux/arm64"));

        TransferCounters.Snapshot delta = stores.counters().snapshot().minus(before);
        assertEquals(0, delta.blobBytesUploaded(), "same registry: mounted, not uploaded");
        assertTrue(delta.blobsMounted() >= 4, "configs and layers mounted: " + delta);
        JsonNode index = raw(lab.ref(repo + ":1.0"));
        assertEquals(List.of("linux/amd64", "linux/arm64/v8"), platforms(index));
        ExternalTools.check("skopeo", "copy", "-q", "--all", "--src-tls-verify=false", lab.ref(repo + ":1.0"),
                "oci:" + tmp.resolve("copy") + ":x");
    }

    @Test
    void aDockerListIsMergedAndAnExplicitPlatformIsUsed() throws Exception {
        String target = lab.ref("fixtures/app:" + unique("merged"));
        IndexReport report = build(target, false, false, false, source("fixtures/multi:latest"),
                source("fixtures/hello:v2s2", "linux/riscv64"));
        assertEquals(List.of("linux/amd64", "linux/arm64/v8", "linux/riscv64"), platforms(raw(target)));
        assertEquals(3, report.entries().size());
        ExternalTools.check("skopeo", "copy", "-q", "--all", "--src-tls-verify=false", target, "oci:" + tmp.resolve("copy") + ":x");
    }

    @Test
    void duplicatePlatformIsAConflictNamingBothUnlessReplaced() throws Exception {
        String target = lab.ref("fixtures/app:" + unique("dup"));
        RecastException error = assertThrows(RecastException.class, () -> build(target, false, false, false,
                source("fixtures/app:amd64"), source("fixtures/hello:v2s2")));
        assertEquals(ErrorKind.CONFLICT, error.kind());
        assertTrue(error.getMessage().contains("fixtures/app:amd64") && error.getMessage().contains("fixtures/hello:v2s2"),
                error.getMessage());
        assertEquals(1, ExternalTools.run(List.of("skopeo", "inspect", "--raw", "--tls-verify=false", target)).exitCode(),
                "nothing tagged");

        IndexReport replaced = build(target, false, true, false, source("fixtures/app:amd64"), source("fixtures/hello:v2s2"));
        assertEquals(1, replaced.entries().size());
        assertEquals(IndexReport.Action.REPLACED, replaced.entries().getFirst().action());
        assertTrue(replaced.entries().getFirst().source().contains("fixtures/hello:v2s2"));
    }

    @Test
    void appendAddsAndReplacesPlatformsInAnExistingIndex() throws Exception {
        String target = lab.ref("fixtures/app:" + unique("grow"));
        build(target, false, false, false, source("fixtures/app:amd64"), source("fixtures/app:arm64"));

        IndexReport grown = build(target, false, false, true, source("fixtures/hello:v2s2", "linux/s390x"),
                source("fixtures/empty-layer:v2s2", "linux/arm64/v8"));

        assertEquals(List.of("linux/amd64", "linux/arm64/v8", "linux/s390x"), platforms(raw(target)));
        assertEquals(List.of(IndexReport.Action.KEPT, IndexReport.Action.REPLACED, IndexReport.Action.ADDED),
                grown.entries().stream().map(IndexReport.Entry::action).toList());
    }

    @Test
    void attestationEntriesAreCarriedOver() throws Exception {
        TestLayout layout = new TestLayout(tmp.resolve("src"));
        Descriptor image = layout.image().platform("linux/amd64").layer(new LayerTar().file("a", "a").build()).write();
        Descriptor statement = layout.blob(MediaType.of("application/vnd.in-toto+json"), "{\"_type\":\"stmt\"}".getBytes(StandardCharsets.UTF_8));
        Descriptor emptyConfig = layout.blob(MediaType.OCI_CONFIG, "{\"architecture\":\"unknown\",\"os\":\"unknown\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}".getBytes(StandardCharsets.UTF_8));
        String attestation = """
                {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
                 "config":{"mediaType":"%s","digest":"%s","size":%d},
                 "layers":[{"mediaType":"application/vnd.in-toto+json","digest":"%s","size":%d}]}"""
                .formatted(emptyConfig.mediaType(), emptyConfig.digest(), emptyConfig.size(), statement.digest(), statement.size());
        Descriptor att = layout.blob(MediaType.OCI_MANIFEST, attestation.getBytes(StandardCharsets.UTF_8));
        String index = """
                {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
                 {"mediaType":"%s","digest":"%s","size":%d,"platform":{"architecture":"amd64","os":"linux"}},
                 {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":%d,
                  "annotations":{"vnd.docker.reference.digest":"%s","vnd.docker.reference.type":"attestation-manifest"},
                  "platform":{"architecture":"unknown","os":"unknown"}}]}"""
                .formatted(image.mediaType(), image.digest(), image.size(), att.digest(), att.size(), image.digest());
        layout.tag("built", layout.blob(MediaType.OCI_INDEX, index.getBytes(StandardCharsets.UTF_8)));
        String target = lab.ref(unique("attest/app") + ":1");

        IndexReport report = build(target, false, false, false, new IndexSource(ImageReference.parse(layout.ref("built"))),
                source("fixtures/app:arm64"));

        JsonNode result = raw(target);
        assertEquals(3, result.path("manifests").size());
        assertEquals("unknown", result.path("manifests").get(1).path("platform").path("os").asText());
        assertEquals(image.digest().toString(), result.path("manifests").get(1).path("annotations").path("vnd.docker.reference.digest").asText());
        assertEquals(3, report.entries().size());
        ExternalTools.check("skopeo", "copy", "-q", "--all", "--src-tls-verify=false", target, "oci:" + tmp.resolve("copy") + ":x");
    }
}
