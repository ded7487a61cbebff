package dev.recast.registry.http;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.registry.ImageStores;
import dev.recast.registry.reference.ImageReference;
import dev.recast.testing.FaultProxy.Fault;
import dev.recast.testing.FaultProxy;
import dev.recast.testing.LabRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An allowed registry that cannot be reached says why: nothing listening, no answer in time, no such host. */
@Tag("registry")
class ConnectionErrorsTest {

    private static RecastException readFails(RegistrySettings settings, String registry) {
        try (ImageStores stores = new ImageStores(settings)) {
            RecastException e = assertThrows(RecastException.class, () -> stores.open(ImageReference.parse(
                    registry + "/fixtures/hello:v2s2")).findManifest("v2s2"));
            assertEquals(ErrorKind.UPSTREAM, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains(registry), "names the registry: " + e.getMessage());
            return e;
        }
    }

    @Test
    void aRegistryWhereNothingListensIsConnectionRefused() {
        String registry = "127.0.0.1:" + LabRegistry.freePort();
        try (FaultProxy quick = new FaultProxy(LabRegistry.plain().host())) {
            RegistrySettings settings = quick.quickSettings().withHostPolicy(HostPolicy.service(List.of(registry)));
            String message = readFails(settings, registry).getMessage();
            assertTrue(message.contains("connection refused"), message);
        }
    }

    @Test
    void aRegistryThatNeverAnswersTimesOut() {
        try (FaultProxy proxy = new FaultProxy(LabRegistry.plain().host())) {
            proxy.always("GET", "/manifests/", new Fault.Stall(10_000));
            RegistrySettings settings = proxy.quickSettings().withLimits(4L << 20, 1)
                    .withHostPolicy(HostPolicy.service(List.of(proxy.host())));
            assertTrue(readFails(settings, proxy.host()).getMessage().contains("timed out"));
        }
    }

    @Test
    void connectionFailuresAreNamedInWords() {
        assertTrue(RegistryFailure.describe(new IOException(new UnknownHostException("registry.example"))).startsWith("unknown host"));
        assertEquals("connection timed out", RegistryFailure.describe(new HttpConnectTimeoutException("HTTP connect timed out")));
        assertEquals("connection refused", RegistryFailure.describe(new ConnectException()));
    }
}
