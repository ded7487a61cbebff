package dev.recast.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.convert.ConversionOptions;
import dev.recast.model.Compression;
import dev.recast.model.Content;
import dev.recast.model.Digest;
import dev.recast.model.Manifest;
import dev.recast.model.MediaType;
import dev.recast.model.Platform;
import dev.recast.provenance.ConversionProvenance.LayerLink;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProvenanceStatementTest {
    private static final ConversionOptions OPTIONS = new ConversionOptions(Compression.ZSTD, 5,
            List.of(Platform.parse("linux/arm64")), false);

    private static Digest digest(String text) {
        return Digest.sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    private static ConversionProvenance image() {
        LayerLink layer0 = new LayerLink(0, digest("src0"), MediaType.DOCKER_LAYER_GZIP, digest("out0"),
                MediaType.OCI_LAYER_ZSTD, 123, digest("tar0"), "RECOMPRESSED");
        LayerLink layer1 = new LayerLink(1, digest("src1"), MediaType.OCI_LAYER_ZSTD, digest("src1"),
                MediaType.OCI_LAYER_ZSTD, 45, digest("tar1"), "COPIED");
        return new ConversionProvenance("reg.test/app:v1-oci", digest("target"), MediaType.OCI_MANIFEST,
                "reg.test/app:v1", digest("index"), digest("source"), MediaType.DOCKER_MANIFEST, OPTIONS.label(),
                "1.2.3", digest("config"), List.of(layer0, layer1), List.of());
    }

    @Test
    void anImageProvenanceReadsBackAsItWasWritten() {
        ConversionProvenance written = image();
        assertEquals(written, ProvenanceStatement.read(ProvenanceStatement.write(written, OPTIONS), "test"));
    }

    @Test
    void anIndexProvenanceReadsBackAsItWasWritten() {
        ConversionProvenance index = new ConversionProvenance("reg.test/app:v1-oci", digest("t"), MediaType.OCI_INDEX,
                "reg.test/app:v1", digest("s"), digest("s"), MediaType.DOCKER_MANIFEST_LIST, "zstd:3", "1.2.3", null,
                List.of(), List.of(new ConversionProvenance.ManifestLink("linux/arm64/v8", digest("a"), digest("b"))));
        assertEquals(index, ProvenanceStatement.read(ProvenanceStatement.write(index, OPTIONS), "test"));
    }

    @Test
    void theStatementIsAnInTotoStatementWithASlsaPredicate() throws Exception {
        ConversionProvenance provenance = image();
        JsonNode json = new ObjectMapper().readTree(ProvenanceStatement.write(provenance, OPTIONS));
        assertEquals("https://in-toto.io/Statement/v1", json.path("_type").asText());
        assertEquals("https://slsa.dev/provenance/v1", json.path("predicateType").asText());
        assertEquals(provenance.subject().hex(), json.path("subject").get(0).path("digest").path("sha256").asText());
        JsonNode build = json.path("predicate").path("buildDefinition");
        assertTrue(build.path("buildType").asText().startsWith("https://"), build.toString());
        assertEquals("reg.test/app:v1", build.path("externalParameters").path("source").path("reference").asText());
        assertEquals(5, build.path("externalParameters").path("options").path("level").asInt());
        assertEquals("linux/arm64/v8", build.path("externalParameters").path("options").path("platforms").get(0).asText());
        assertEquals(provenance.sourceManifest().hex(),
                build.path("resolvedDependencies").get(0).path("digest").path("sha256").asText());
        JsonNode run = json.path("predicate").path("runDetails");
        assertEquals("1.2.3", run.path("builder").path("version").path("recast").asText());
        JsonNode layer0 = run.path("byproducts").get(1);
        assertEquals("layer/0", layer0.path("name").asText());
        assertEquals(digest("src0").toString(), layer0.path("annotations").path("sourceDigest").asText());
        assertEquals(digest("tar0").toString(), layer0.path("annotations").path("diffID").asText());
        // no clock in it: recording the same conversion twice gives the same artifact
        assertEquals(new String(ProvenanceStatement.write(provenance, OPTIONS), StandardCharsets.UTF_8),
                new String(ProvenanceStatement.write(image(), OPTIONS), StandardCharsets.UTF_8));
    }

    @Test
    void anotherBuildersStatementIsNotReadAsOurs() {
        String foreign = "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[],"
                + "\"predicateType\":\"https://slsa.dev/provenance/v1\",\"predicate\":{\"buildDefinition\":"
                + "{\"buildType\":\"https://example.com/other\"}}}";
        RecastException e = assertThrows(RecastException.class,
                () -> ProvenanceStatement.read(foreign.getBytes(StandardCharsets.UTF_8), "statement x"));
        assertEquals(ErrorKind.UNSUPPORTED, e.kind());
        assertTrue(e.getMessage().contains("statement x"), e.getMessage());
    }

    @Test
    void theArtifactReferencesTheConvertedManifestAndHoldsTheStatement() {
        Content subject = Content.of(MediaType.OCI_MANIFEST, "{}".getBytes(StandardCharsets.UTF_8));
        byte[] statement = ProvenanceStatement.write(image(), OPTIONS);
        Manifest artifact = ProvenanceArtifact.of(subject.descriptor(), statement).manifest();
        assertEquals(subject.digest(), artifact.subject().digest());
        assertEquals("application/vnd.in-toto+json", artifact.artifactType());
        assertEquals(Digest.sha256(statement), artifact.layers().getFirst().digest());
        assertEquals(MediaType.OCI_EMPTY, artifact.config().mediaType());
        assertTrue(ProvenanceArtifact.isProvenance(artifact));
        assertFalse(artifact.isContainerImage());
    }
}
