package dev.recast.registry;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.convert.ConversionOptions;
import dev.recast.convert.ConversionReport;
import dev.recast.convert.ImageConverter;
import dev.recast.registry.http.Credentials;
import dev.recast.registry.http.RegistryStore;
import dev.recast.registry.reference.ImageReference;
import dev.recast.testing.ExternalTools;
import dev.recast.testing.FaultProxy.Fault;
import dev.recast.testing.FaultProxy;
import dev.recast.testing.LabRegistry;
import dev.recast.testing.LayerTar;
import dev.recast.testing.TestLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Conversions through a proxy that injects faults between Recast and a real registry: each one either finishes with
 * a verified result or fails cleanly, naming the step, with no tag moved.
 */
@Tag("registry")
class FaultInjectionTest {
    private static final String HELLO_LAYER = "/blobs/sha256:80279b768afc";

    @TempDir
    Path tmp;

    private final LabRegistry lab = LabRegistry.plain();
    private final FaultProxy proxy = new FaultProxy(lab.host());
    private ImageStores stores;
    private ImageConverter converter;

    private void connect() {
        stores = new ImageStores(proxy.quickSettings());
        converter = new ImageConverter(stores, 2, ImageConverter.Limits.DEFAULT);
    }

    @AfterEach
    void close() {
        proxy.close();
        if (converter != null) {
            converter.close();
            stores.close();
        }
    }

    private ConversionReport convert(String sourceRepoTag, String targetRepoTag) {
        if (converter == null) {
            connect();
        }
        return converter.convert(ImageReference.parse(proxy.host() + "/" + sourceRepoTag),
                ImageReference.parse(proxy.host() + "/" + targetRepoTag), ConversionOptions.DEFAULT);
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private void assertConverted(String repoTag) {
        String raw = ExternalTools.check("skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + lab.host() + "/" + repoTag);
        assertTrue(raw.contains("application/vnd.oci.image.layer.v1.tar+zstd"), raw);
        ExternalTools.check("skopeo", "copy", "-q", "--src-tls-verify=false", "docker://" + lab.host() + "/" + repoTag,
                "oci:" + tmp.resolve(unique("copy")) + ":x");
    }

    private Optional<?> tagged(String repository, String tag) {
        return new RegistryStore(stores.caller(lab.host()), repository).findManifest(tag);
    }

    @Test
    void serverErrorsAndTooManyRequestsAreRetried() {
        proxy.on("GET", "/manifests/v2s2", 1, 2, new Fault.Status(503, null))
                .once("HEAD", "/blobs/", new Fault.Status(429, "1"))
                .once("POST", "/blobs/uploads/", new Fault.Status(502, null))
                .once("PUT", "/manifests/", new Fault.Status(500, null));
        String target = "fixtures/hello:" + unique("retry");
        long started = System.nanoTime();
        convert("fixtures/hello:v2s2", target);
        assertTrue(System.nanoTime() - started >= 1_000_000_000L, "Retry-After: 1 was honoured");
        assertEquals(5, proxy.injected());
        assertTrue(stores.counters().snapshot().retries() >= 5, stores.counters().snapshot().toString());
        assertConverted(target);
    }

    @Test
    void aDownloadCutMidBodyResumesWithRange() {
        proxy.once("GET", HELLO_LAYER, new Fault.CutBody(1000));
        String target = "fixtures/hello:" + unique("resume");
        convert("fixtures/hello:v2s2", target);
        assertEquals(1, proxy.injected());
        assertConverted(target);
    }

    @Test
    void aStallPastTheTimeoutIsRetried() {
        proxy.once("GET", "/manifests/v2s2", new Fault.Stall(4000));
        String target = "fixtures/hello:" + unique("stall");
        convert("fixtures/hello:v2s2", target);
        assertConverted(target);
    }

    @Test
    void aBodyThatStallsAfterItsHeadersIsCutAndResumed() {
        proxy.once("GET", HELLO_LAYER, new Fault.StallBody(1000, 30_000));
        String target = "fixtures/hello:" + unique("body-stall");
        long started = System.nanoTime();
        convert("fixtures/hello:v2s2", target);
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        assertEquals(1, proxy.injected());
        assertTrue(seconds < 20, "cut after the 2 s idle timeout, not after the 30 s stall: " + seconds + " s");
        assertTrue(stores.counters().snapshot().retries() >= 1, stores.counters().snapshot().toString());
        assertConverted(target);
    }

    private ConversionReport convertBigLayer(String target) {
        TestLayout layout = new TestLayout(tmp.resolve(unique("big")));
        byte[] noise = new byte[12 << 20];
        new java.util.Random(11).nextBytes(noise);
        layout.tag("big", layout.image().layer(new LayerTar().file("noise.bin", noise, 0644).build()).write());
        connect();
        return converter.convert(ImageReference.parse(layout.ref("big")), ImageReference.parse(proxy.host() + "/" + target),
                ConversionOptions.DEFAULT);
    }

    @Test
    void aChunkThatNeverArrivedIsResentFromTheRegistrysOffset() {
        proxy.once("PATCH", "/blobs/uploads/", new Fault.Status(503, null));
        String target = unique("faults/chunked") + ":oci";
        ConversionReport report = convertBigLayer(target);
        assertEquals(1, proxy.injected());
        assertTrue(report.notes().isEmpty(), "resumed in the same session: " + report.notes());
        assertConverted(target);
    }

    @Test
    void aChunkWhoseAnswerWasLostRestartsTheLayer() {
        proxy.once("PATCH", "/blobs/uploads/", new Fault.LoseAnswer(502));
        String target = unique("faults/lost") + ":oci";
        ConversionReport report = convertBigLayer(target);
        assertEquals(1, proxy.injected());
        assertTrue(report.notes().stream().anyMatch(n -> n.contains("transferred again")), report.notes().toString());
        assertConverted(target);
    }

    @Test
    void aCorruptedDownloadFailsWithoutMovingTheTag() {
        proxy.always("GET", HELLO_LAYER, new Fault.Corrupt());
        String tag = unique("corrupt");
        RecastException error = assertThrows(RecastException.class, () -> convert("fixtures/hello:v2s2", "fixtures/hello:" + tag));
        assertEquals(ErrorKind.DIGEST_MISMATCH, error.kind(), error.getMessage());
        assertTrue(error.getMessage().contains("sha256:80279b768afc"), error.getMessage());
        assertEquals(Optional.empty(), tagged("fixtures/hello", tag));
    }

    @Test
    void aRegistryThatKeepsFailingEndsInAClearErrorAndNoTag() {
        proxy.always("PUT", "/manifests/", new Fault.Status(503, null));
        String tag = unique("down");
        RecastException error = assertThrows(RecastException.class, () -> convert("fixtures/hello:v2s2", "fixtures/hello:" + tag));
        assertEquals(ErrorKind.UPSTREAM, error.kind());
        assertTrue(error.getMessage().contains("503") && error.getMessage().contains("PUT manifest"), error.getMessage());
        assertEquals(Optional.empty(), tagged("fixtures/hello", tag));
        assertEquals(4, proxy.injected(), "4 attempts, then gave up");
    }

    @Test
    void aDroppedConnectionOnEveryBlobReadFailsAfterBoundedResumes() {
        proxy.always("GET", HELLO_LAYER, new Fault.CutBody(100));
        String tag = unique("flaky");
        RecastException error = assertThrows(RecastException.class, () -> convert("fixtures/hello:v2s2", "fixtures/hello:" + tag));
        assertTrue(error.getMessage().contains("connection lost") || error.kind() == ErrorKind.UPSTREAM, error.getMessage());
        assertEquals(Optional.empty(), tagged("fixtures/hello", tag));
        assertTrue(proxy.injected() <= 10, "bounded: " + proxy.injected());
    }

    @Test
    void redirectedBlobsAreFollowedWithoutTheRegistrysCredentials() {
        LabRegistry secured = LabRegistry.htpasswd();
        String basic = Credentials.basic(LabRegistry.USER, LabRegistry.PASSWORD).basicHeader();
        try (FaultProxy storage = new FaultProxy(secured.host(), basic)) {
            storage.always("GET", "/blobs/sha256:", new Fault.RedirectToStorage());
            stores = new ImageStores(storage.quickSettings().withCredentials(host -> Optional.of(Credentials.basic(LabRegistry.USER, LabRegistry.PASSWORD))));
            converter = new ImageConverter(stores, 2, ImageConverter.Limits.DEFAULT);
            String tag = unique("redirected");
            ConversionReport report = converter.convert(ImageReference.parse(storage.host() + "/fixtures/hello:v2s2"),
                    ImageReference.parse(storage.host() + "/fixtures/hello:" + tag), ConversionOptions.DEFAULT);
            assertEquals(ConversionReport.Outcome.CONVERTED, report.outcome());
            assertTrue(storage.injected() >= 4, "config and layers were redirected: " + storage.injected());
            assertEquals(storage.injected(), storage.storageRequestAuthorizations().size());
            assertTrue(storage.storageRequestAuthorizations().stream().allMatch("none"::equals),
                    "the registry's Authorization went to the storage host: " + storage.storageRequestAuthorizations());
        }
    }
}
