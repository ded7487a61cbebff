package dev.recast.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.convert.ConversionOptions;
import dev.recast.convert.ConversionReport;
import dev.recast.convert.ImageConverter;
import dev.recast.model.Compression;
import dev.recast.registry.http.CredentialSource;
import dev.recast.registry.http.Credentials;
import dev.recast.registry.http.RegistrySettings;
import dev.recast.registry.http.TransferCounters;
import dev.recast.registry.reference.ImageReference;
import dev.recast.testing.ExternalTools;
import dev.recast.testing.LabRegistry;
import dev.recast.testing.LayoutImages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static dev.recast.testing.RegistryImages.ZSTD;
import static dev.recast.testing.RegistryImages.assertFaithful;
import static dev.recast.testing.RegistryImages.rawDigest;
import static dev.recast.testing.RegistryImages.rawManifest;
import static dev.recast.testing.RegistryImages.skopeoCopy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Conversions registry → registry against real CNCF distribution registries, checked with skopeo, zstd and gzip. */
@Tag("registry")
class RegistryConversionTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private ImageStores stores;
    private ImageConverter converter;

    private void useCredentials(CredentialSource credentials) {
        close();
        stores = new ImageStores(RegistrySettings.defaults().withCredentials(credentials));
        converter = new ImageConverter(stores, 3, ImageConverter.Limits.DEFAULT);
    }

    @AfterEach
    void close() {
        if (converter != null) {
            converter.close();
            stores.close();
        }
    }

    private ConversionReport convert(String source, String target, ConversionOptions options) {
        if (converter == null) {
            useCredentials(CredentialSource.none());
        }
        return converter.convert(ImageReference.parse(source), ImageReference.parse(target), options);
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void convertsHelloIntoANewTagOfTheSameRepository() throws Exception {
        LabRegistry lab = LabRegistry.plain();
        String tag = unique("oci");
        ConversionReport report = convert(lab.ref("fixtures/hello:v2s2"), lab.ref("fixtures/hello:" + tag), ConversionOptions.DEFAULT);

        assertEquals(ConversionReport.Outcome.CONVERTED, report.outcome());
        assertEquals(3, report.totals().recompressed());
        assertFaithful(lab, "fixtures/hello:v2s2", lab, "fixtures/hello:" + tag, tmp.resolve(unique("check")));
        assertEquals(report.targetDigest().toString(), rawDigest(lab, "fixtures/hello:" + tag));
    }

    @Test
    void rerunUploadsNothingAndGivesTheSameDigest() {
        LabRegistry lab = LabRegistry.plain();
        String target = lab.ref("fixtures/hello:" + unique("rerun"));
        ConversionReport first = convert(lab.ref("fixtures/hello:v2s2"), target, ConversionOptions.DEFAULT);
        TransferCounters.Snapshot before = stores.counters().snapshot();

        ConversionReport second = convert(lab.ref("fixtures/hello:v2s2"), target, ConversionOptions.DEFAULT);

        TransferCounters.Snapshot delta = stores.counters().snapshot().minus(before);
        assertEquals(ConversionReport.Outcome.ALREADY_CONVERTED, second.outcome());
        assertEquals(first.targetDigest(), second.targetDigest());
        assertEquals(0, delta.blobBytesUploaded());
        assertEquals(0, delta.blobsUploaded());
        assertEquals(0, delta.manifestsPut() + delta.tagsPut());
    }

    @Test
    void intoAnotherRepositoryUnchangedBlobsAreMountedNotUploaded() throws Exception {
        LabRegistry lab = LabRegistry.plain();
        String repoA = unique("mount/a");
        convert(lab.ref("fixtures/hello:v2s2"), lab.ref(repoA + ":oci"), ConversionOptions.DEFAULT);
        TransferCounters.Snapshot before = stores.counters().snapshot();

        // the result is already OCI + zstd: copying it to another repository must move no blob bytes at all
        String repoB = unique("mount/b");
        ConversionReport copy = convert(lab.ref(repoA + ":oci"), lab.ref(repoB + ":oci"), ConversionOptions.DEFAULT);

        TransferCounters.Snapshot delta = stores.counters().snapshot().minus(before);
        assertEquals(ConversionReport.Outcome.UNCHANGED, copy.outcome());
        assertEquals(0, delta.blobBytesUploaded(), "no layer bytes uploaded");
        assertEquals(4, delta.blobsMounted(), "3 layers and the config mounted");
        assertFaithful(lab, "fixtures/hello:v2s2", lab, repoB + ":oci", tmp.resolve(unique("check")));

        // a gzip target keeps every layer as it is: the conversion mounts them from the source repository
        TransferCounters.Snapshot beforeGzip = stores.counters().snapshot();
        ConversionReport gzip = convert(lab.ref("fixtures/hello:v2s2"), lab.ref(unique("mount/c") + ":gz"),
                new ConversionOptions(Compression.GZIP, null, List.of(), false));
        TransferCounters.Snapshot gzipDelta = stores.counters().snapshot().minus(beforeGzip);
        assertEquals(0, gzipDelta.blobBytesUploaded());
        assertEquals(3, gzip.totals().skipped());
    }

    @Test
    void convertsIntoASecondRegistry() throws Exception {
        LabRegistry source = LabRegistry.plain();
        LabRegistry target = LabRegistry.second();
        String repo = unique("copied/hello");
        ConversionReport report = convert(source.ref("fixtures/hello:v2s2"), target.ref(repo + ":oci"), ConversionOptions.DEFAULT);
        assertEquals(ConversionReport.Outcome.CONVERTED, report.outcome());
        assertFaithful(source, "fixtures/hello:v2s2", target, repo + ":oci", tmp.resolve(unique("check")));
    }

    @Test
    void manifestListBecomesAnOciIndexInASecondRegistry() throws Exception {
        LabRegistry source = LabRegistry.plain();
        LabRegistry target = LabRegistry.second();
        String repo = unique("multi");
        ConversionReport report = convert(source.ref("fixtures/multi:latest"), target.ref(repo + ":oci"), ConversionOptions.DEFAULT);

        JsonNode index = rawManifest(target, repo + ":oci");
        assertEquals("application/vnd.oci.image.index.v1+json", index.path("mediaType").asText());
        assertEquals(2, index.path("manifests").size());
        assertEquals(2, report.images().size());
        for (JsonNode child : index.path("manifests")) {
            String digest = child.path("digest").asText();
            assertEquals("application/vnd.oci.image.manifest.v1+json", rawManifest(target, repo + "@" + digest).path("mediaType").asText());
        }
        Path copy = skopeoCopy(target, repo + ":oci", tmp.resolve("copy"));
        assertEquals(report.targetDigest().toString(), LayoutImages.taggedDigest(copy, "x"));
        String arm = ExternalTools.check("skopeo", "inspect", "--tls-verify=false", "--override-arch", "arm64",
                target.ref(repo + ":oci"));
        assertEquals("arm64", JSON.readTree(arm).path("Architecture").asText());
    }

    @Test
    void imageWithAnEmptyLayerConverts() throws Exception {
        LabRegistry lab = LabRegistry.plain();
        String tag = unique("oci");
        ConversionReport report = convert(lab.ref("fixtures/empty-layer:v2s2"), lab.ref("fixtures/empty-layer:" + tag), ConversionOptions.DEFAULT);
        assertEquals(2, report.images().getFirst().layers().size());
        assertFaithful(lab, "fixtures/empty-layer:v2s2", lab, "fixtures/empty-layer:" + tag, tmp.resolve(unique("check")));
    }

    @Test
    void missingTagIsNotFoundNamingTheImage() {
        LabRegistry lab = LabRegistry.plain();
        RecastException error = assertThrows(RecastException.class, () -> convert(lab.ref("fixtures/hello:nope"),
                lab.ref("fixtures/hello:x"), ConversionOptions.DEFAULT));
        assertEquals(ErrorKind.NOT_FOUND, error.kind());
        assertTrue(error.getMessage().contains("fixtures/hello:nope"), error.getMessage());
    }

    @Test
    void corruptedBlobInTheRegistryIsRefusedAndNoTagMoves() throws Exception {
        LabRegistry lab = LabRegistry.plain();
        String repo = unique("corrupt/hello");
        convert(lab.ref("fixtures/hello:v2s2"), lab.ref(repo + ":gz"), new ConversionOptions(Compression.GZIP, null, List.of(), false));
        JsonNode manifest = rawManifest(lab, repo + ":gz");
        String layer = manifest.path("layers").get(1).path("digest").asText();
        // hello's layers are shared with fixtures/hello: corrupt a private copy by pushing a fresh image first
        Path data = lab.blobData(layer);
        byte[] original = java.nio.file.Files.readAllBytes(data);
        byte[] corrupted = original.clone();
        corrupted[corrupted.length / 2] ^= 0x55;
        try {
            java.nio.file.Files.write(data, corrupted);
            RecastException error = assertThrows(RecastException.class, () -> convert(lab.ref(repo + ":gz"),
                    lab.ref(repo + ":zstd"), ConversionOptions.DEFAULT));
            assertEquals(ErrorKind.DIGEST_MISMATCH, error.kind(), error.toString());
            assertTrue(error.getMessage().contains(layer), error.getMessage());
        } finally {
            java.nio.file.Files.write(data, original);
        }
        assertEquals(Optional.empty(), stores.open(ImageReference.parse(lab.ref(repo + ":zstd"))).findManifest("zstd"));
    }

    @Test
    void htpasswdRegistryWithCredentialsConverts() throws Exception {
        LabRegistry lab = LabRegistry.htpasswd();
        useCredentials(host -> Optional.of(Credentials.basic(LabRegistry.USER, LabRegistry.PASSWORD)));
        String tag = unique("oci");
        convert(lab.ref("fixtures/hello:v2s2"), lab.ref("fixtures/hello:" + tag), ConversionOptions.DEFAULT);
        assertFaithful(lab, "fixtures/hello:v2s2", lab, "fixtures/hello:" + tag, tmp.resolve(unique("check")));
    }

    @Test
    void wrongPasswordIsAClearAuthErrorAndWritesNothing() {
        LabRegistry lab = LabRegistry.htpasswd();
        useCredentials(host -> Optional.of(Credentials.basic(LabRegistry.USER, "wrong-password")));
        String tag = unique("never");
        RecastException error = assertThrows(RecastException.class, () -> convert(lab.ref("fixtures/hello:v2s2"),
                lab.ref("fixtures/hello:" + tag), ConversionOptions.DEFAULT));
        assertEquals(ErrorKind.UPSTREAM_AUTH, error.kind());
        assertTrue(error.getMessage().contains(lab.host()), error.getMessage());
        assertTrue(error.getMessage().contains("401"), error.getMessage());
        assertFalse(error.getMessage().contains("wrong-password"), "never shows the secret");

        useCredentials(host -> Optional.empty());
        RecastException anonymous = assertThrows(RecastException.class, () -> convert(lab.ref("fixtures/hello:v2s2"),
                lab.ref("fixtures/hello:" + tag), ConversionOptions.DEFAULT));
        assertEquals(ErrorKind.UPSTREAM_AUTH, anonymous.kind());

        useCredentials(host -> Optional.of(Credentials.basic(LabRegistry.USER, LabRegistry.PASSWORD)));
        assertEquals(Optional.empty(), stores.open(ImageReference.parse(lab.ref("fixtures/hello:" + tag))).findManifest(tag));
    }

    @Test
    void bearerTokenRegistryConvertsWithTokensFromItsIssuer() throws Exception {
        LabRegistry lab = LabRegistry.token();
        useCredentials(host -> Optional.of(Credentials.basic(dev.recast.testing.TokenIssuer.USER, dev.recast.testing.TokenIssuer.PASSWORD)));
        String repo = unique("tok/hello");
        ConversionReport report = convert(lab.ref("fixtures/hello:v2s2"), lab.ref(repo + ":oci"), ConversionOptions.DEFAULT);
        assertEquals(ConversionReport.Outcome.CONVERTED, report.outcome());
        assertTrue(stores.counters().snapshot().blobsMounted() >= 1, "the config is mounted across repositories (pull scope on the source)");
        assertFaithful(lab, "fixtures/hello:v2s2", lab, repo + ":oci", tmp.resolve(unique("check")));

        useCredentials(host -> Optional.of(Credentials.basic(dev.recast.testing.TokenIssuer.USER, "wrong")));
        RecastException error = assertThrows(RecastException.class, () -> convert(lab.ref("fixtures/hello:v2s2"),
                lab.ref(repo + ":never"), ConversionOptions.DEFAULT));
        assertEquals(ErrorKind.UPSTREAM_AUTH, error.kind());
        assertTrue(error.getMessage().contains("token service"), error.getMessage());
    }

    @Test
    void layersLargerThanAChunkGoUpInChunksFromAnOciLayout() throws Exception {
        dev.recast.testing.TestLayout layout = new dev.recast.testing.TestLayout(tmp.resolve("big"));
        byte[] noise = new byte[13 << 20];
        new java.util.Random(7).nextBytes(noise);
        layout.tag("big", layout.image().layer(new dev.recast.testing.LayerTar().file("noise.bin", noise, 0644).build()).write());
        close();
        stores = new ImageStores(RegistrySettings.defaults().withChunkSize(RegistrySettings.MIN_CHUNK));
        converter = new ImageConverter(stores, 2, ImageConverter.Limits.DEFAULT);
        LabRegistry lab = LabRegistry.second();
        String repo = unique("chunked");

        ConversionReport report = converter.convert(ImageReference.parse(layout.ref("big")),
                ImageReference.parse(lab.ref(repo + ":oci")), ConversionOptions.DEFAULT);

        assertTrue(report.totals().targetLayerBytes() > 2L * RegistrySettings.MIN_CHUNK, "needs at least two PATCHes");
        Path dst = skopeoCopy(lab, repo + ":oci", tmp.resolve("dst"));
        LayoutImages.assertFaithfulConversion(layout.dir(), LayoutImages.taggedDigest(layout.dir(), "big"), dst,
                LayoutImages.taggedDigest(dst, "x"), ZSTD);
    }
}
