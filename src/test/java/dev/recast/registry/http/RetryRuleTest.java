package dev.recast.registry.http;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.RegistryError;
import dev.recast.model.Content;
import dev.recast.model.Descriptor;
import dev.recast.model.Digest;
import dev.recast.model.MediaType;
import dev.recast.registry.ImageStores;
import dev.recast.testing.FaultProxy.Fault;
import dev.recast.testing.FaultProxy;
import dev.recast.testing.LabRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one retry rule: its decisions alone, then as the endpoint caller applies it to a real registry. */
class RetryRuleTest {
    private static final RetryRule RULE = new RetryRule(4, Duration.ofMillis(100), () -> 0.5);

    private static RegistryCall call(String method, boolean idempotent) {
        return new RegistryCall(method, URI.create("http://127.0.0.1:1/v2/a/manifests/x"), Map.of(), null, List.of(),
                idempotent, method + " x");
    }

    private static RecastException refused(ErrorKind kind, int status) {
        return new RecastException(kind, "answered " + status, new RegistryError(RegistryError.Code.UNKNOWN, "", status));
    }

    @Test
    void idempotentRequestsGetEveryAttemptOthersOne() {
        assertEquals(4, RULE.attemptsFor(call("GET", true)));
        assertEquals(1, RULE.attemptsFor(call("PATCH", false)));
        assertTrue(RULE.allowsAnother(3));
        assertFalse(RULE.allowsAnother(4));
        assertThrows(IllegalArgumentException.class, () -> new RetryRule(0, Duration.ZERO, () -> 0));
    }

    @Test
    void throttlingAndServerTroubleAreRetriedRefusalsAreNot() {
        for (int status : List.of(429, 500, 502, 503, 504)) {
            assertTrue(RetryRule.isRetryable(status), "status " + status);
        }
        for (int status : List.of(200, 400, 401, 403, 404, 405, 413, 501)) {
            assertFalse(RetryRule.isRetryable(status), "status " + status);
        }
    }

    @Test
    void aLostConnectionOrA5xxIsTransientARefusalIsNot() {
        assertTrue(RetryRule.isTransient(new RecastException(ErrorKind.UPSTREAM, "connection reset")));
        assertTrue(RetryRule.isTransient(refused(ErrorKind.UPSTREAM, 503)));
        assertFalse(RetryRule.isTransient(refused(ErrorKind.UPSTREAM, 400)));
        assertFalse(RetryRule.isTransient(refused(ErrorKind.NOT_FOUND, 404)));
        assertFalse(RetryRule.isTransient(refused(ErrorKind.UPSTREAM_AUTH, 401)));
        assertFalse(RetryRule.isTransient(new RecastException(ErrorKind.DIGEST_MISMATCH, "bytes differ")));
        assertTrue(RULE.retries(1, refused(ErrorKind.UPSTREAM, 502)));
        assertFalse(RULE.retries(4, refused(ErrorKind.UPSTREAM, 502)), "no attempt past the limit");
    }

    @Test
    void backoffDoublesUntilRetryAfterOrTheCapSaysOtherwise() {
        assertEquals(100, RULE.delayMillis(1, null), "base × (0.5 + jitter 0.5)");
        assertEquals(200, RULE.delayMillis(2, null));
        assertEquals(400, RULE.delayMillis(3, "soon"), "an unreadable Retry-After is ignored");
        assertEquals(2000, RULE.delayMillis(1, "2"));
        assertEquals(RetryRule.MAX_DELAY_MILLIS, RULE.delayMillis(1, "3600"), "a registry cannot park us for an hour");
        assertEquals(RetryRule.MAX_DELAY_MILLIS, RULE.delayMillis(30, null));
    }

    @Test
    @Tag("registry")
    void theCallerRetriesAnIdempotentCallUpToTheLimitAndSendsOthersOnce() {
        LabRegistry lab = LabRegistry.plain();
        try (FaultProxy proxy = new FaultProxy(lab.host()); ImageStores stores = new ImageStores(proxy.quickSettings())) {
            proxy.always("GET", "/manifests/v2s2", new Fault.Status(503, "0"))
                    .always("PUT", "/manifests/never", new Fault.Status(503, "0"));
            RegistryEndpointCaller caller = stores.caller(proxy.host());
            RecastException get = assertThrows(RecastException.class, () -> caller.send(new RegistryCall("GET",
                    caller.url("fixtures/hello/manifests/v2s2"), Map.of(), null, List.of(), true, "GET manifest"),
                    Set.of(200)));
            assertEquals(ErrorKind.UPSTREAM, get.kind());
            assertEquals(503, get.registryError().orElseThrow().status());
            assertTrue(RetryRule.isTransient(get));
            assertEquals(4, proxy.requests().stream().filter(r -> r.startsWith("GET ")).count(), proxy.requests().toString());

            RecastException put = assertThrows(RecastException.class, () -> caller.send(new RegistryCall("PUT",
                    caller.url("fixtures/hello/manifests/never"), Map.of(), new byte[]{'{', '}'}, List.of(), false,
                    "PUT manifest"), Set.of(201)));
            assertEquals(503, put.registryError().orElseThrow().status());
            assertEquals(1, proxy.requests().stream().filter(r -> r.startsWith("PUT ")).count(), proxy.requests().toString());
            assertEquals(3, stores.counters().snapshot().retries());
        }
    }

    @Test
    @Tag("registry")
    void aMountTheRegistryKeepsFailingIsGivenUpForACopyAfterTheRulesTries() {
        LabRegistry lab = LabRegistry.plain();
        try (FaultProxy proxy = new FaultProxy(lab.host()); ImageStores stores = new ImageStores(proxy.quickSettings())) {
            proxy.always("POST", "mount=", new Fault.Status(500, "0"));
            RegistryStore from = new RegistryStore(stores.caller(proxy.host()), "fixtures/hello");
            RegistryStore into = new RegistryStore(stores.caller(proxy.host()), "retry/mount");
            Descriptor blob = new Descriptor(MediaType.OCI_LAYER_GZIP, Digest.parse("sha256:" + "1".repeat(64)), 1);
            assertFalse(into.mountBlob(blob, from), "the blob is copied instead");
            assertEquals(4, proxy.injected());
            assertEquals(0, stores.counters().snapshot().blobsMounted());
        }
    }

    /**
     * Replicas converting one image at once PUT the same manifest, and distribution refuses one of them with
     * DIGEST_INVALID while the other rewrites the same links (distribution#2077). That refusal is sent again; one
     * that persists ends as the refusal, after as many attempts as the retry rule allows.
     */
    @Test
    @Tag("registry")
    void aManifestRefusedWhileAnotherWriterRewritesItsLinksIsSentAgain() {
        LabRegistry lab = LabRegistry.plain();
        try (FaultProxy proxy = new FaultProxy(lab.host()); ImageStores stores = new ImageStores(proxy.quickSettings())) {
            RegistryStore store = new RegistryStore(stores.caller(proxy.host()), "fixtures/hello");
            Content manifest = store.requireManifest("v2s2");
            String raced = "raced-" + UUID.randomUUID().toString().substring(0, 8);
            proxy.on("PUT", "/manifests/" + raced, 1, 2, new Fault.RegistryError(400, "DIGEST_INVALID"));
            store.tag(raced, manifest);
            assertEquals(2, proxy.injected());
            assertEquals(manifest.digest(), store.requireManifest(raced).digest());

            String refused = "refused-" + UUID.randomUUID().toString().substring(0, 8);
            proxy.always("PUT", "/manifests/" + refused, new Fault.RegistryError(400, "MANIFEST_BLOB_UNKNOWN"));
            RecastException failure = assertThrows(RecastException.class, () -> store.tag(refused, manifest));
            assertTrue(failure.isRegistryError(RegistryError.Code.MANIFEST_BLOB_UNKNOWN), failure.getMessage());
            assertEquals(stores.caller(proxy.host()).retryRule().maxAttempts(), proxy.requests().stream()
                    .filter(r -> r.startsWith("PUT ") && r.contains("/manifests/" + refused)).count());
            assertFalse(store.findManifest(refused).isPresent());
        }
    }
}
