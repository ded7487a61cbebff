package dev.recast.registry.http;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.convert.ConversionOptions;
import dev.recast.convert.ImageConverter;
import dev.recast.registry.ImageStores;
import dev.recast.registry.reference.ImageReference;
import dev.recast.testing.FaultProxy.Fault;
import dev.recast.testing.FaultProxy;
import dev.recast.testing.LabRegistry;
import dev.recast.testing.RecordingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Registries that lie, in front of real lab registries: each points Recast at another host (an upload Location, a
 * token realm, a redirect). Under the service's policy that host gets no request at all unless listed, and never the
 * registry's credentials; the conversion fails naming the refused host, and no tag is written.
 */
@Tag("registry")
class HostileRegistryTest {
    private FaultProxy proxy;
    private RecordingServer other;
    private ImageStores stores;
    private ImageConverter converter;

    @AfterEach
    void close() {
        if (converter != null) {
            converter.close();
            stores.close();
        }
        proxy.close();
        other.close();
    }

    /** Converts the hello fixture through the proxy, as a service allowing {@code allowed} would, and fails. */
    private RecastException conversionFails(LabRegistry upstream, List<String> allowed, Set<String> insecure) {
        RegistrySettings settings = proxy.quickSettings().withHostPolicy(HostPolicy.service(allowed))
                .withInsecureHosts(insecure).withCredentials(host -> host.equals(proxy.host())
                        ? Optional.of(Credentials.parse(LabRegistry.USER + ":" + LabRegistry.PASSWORD)) : Optional.empty());
        stores = new ImageStores(settings);
        converter = new ImageConverter(stores, 2, ImageConverter.Limits.DEFAULT);
        String repository = "hostile/" + UUID.randomUUID().toString().substring(0, 8);
        RecastException failure = assertThrows(RecastException.class, () -> converter.convert(
                ImageReference.parse(proxy.host() + "/fixtures/hello:v2s2"),
                ImageReference.parse(proxy.host() + "/" + repository + ":oci"), ConversionOptions.DEFAULT));
        assertEquals(List.of(), upstream.tags(repository), "no tag written");
        return failure;
    }

    private void assertRefused(RecastException failure) {
        assertEquals(ErrorKind.FORBIDDEN, failure.kind(), failure.getMessage());
        assertTrue(failure.getMessage().contains(other.host()), "names the refused host: " + failure.getMessage());
        assertTrue(failure.getMessage().contains("recast.registries.allowed"), "names the policy: " + failure.getMessage());
        assertEquals(List.of(), other.received(), "the other host received no request at all");
    }

    @Test
    void anUploadLocationOnAnUnlistedLoopbackHostGetsNoRequest() {
        LabRegistry lab = LabRegistry.plain();
        proxy = new FaultProxy(lab.host());
        other = new RecordingServer(202, null, null);
        proxy.always("POST", "/blobs/uploads/$", new Fault.MoveLocation(other.host()));
        assertRefused(conversionFails(lab, List.of(proxy.host()), Set.of(proxy.host())));
    }

    @Test
    void anUploadLocationOnAListedHostGetsNoCredentials() {
        LabRegistry lab = LabRegistry.htpasswd();
        proxy = new FaultProxy(lab.host());
        other = new RecordingServer(401, "WWW-Authenticate", "Basic realm=\"other\"");
        proxy.always("POST", "/blobs/uploads/$", new Fault.MoveLocation(other.host()));
        RecastException failure = conversionFails(lab, List.of(proxy.host(), other.host()), Set.of(proxy.host()));
        assertEquals(ErrorKind.UPSTREAM_AUTH, failure.kind(), failure.getMessage());
        assertTrue(failure.getMessage().contains("own origin only"), failure.getMessage());
        assertFalse(other.received().isEmpty(), "the listed host was used for the upload");
        assertTrue(other.received().stream().allMatch(r -> r.authorization().equals("none")),
                "but without the registry's credentials: " + other.received());
    }

    @Test
    void aTokenRealmOnAnUnlistedLoopbackServiceGetsNoRequest() {
        LabRegistry lab = LabRegistry.plain();
        proxy = new FaultProxy(lab.host());
        other = new RecordingServer(200, null, null);
        proxy.always("GET", "/v2/", new Fault.Answer(401, "WWW-Authenticate",
                "Bearer realm=\"http://" + other.host() + "/token\",service=\"lab\""));
        assertRefused(conversionFails(lab, List.of(proxy.host()), Set.of(proxy.host())));
    }

    @Test
    void aRedirectToAnUnlistedLoopbackHostGetsNoRequest() {
        LabRegistry lab = LabRegistry.plain();
        proxy = new FaultProxy(lab.host());
        other = new RecordingServer(200, null, null);
        proxy.always("GET", "/blobs/sha256:", new Fault.Answer(307, "Location", "http://" + other.host() + "/blob"));
        assertRefused(conversionFails(lab, List.of(proxy.host()), Set.of(proxy.host())));
    }

    @Test
    void aPlainHttpTokenRealmGetsNoCredentialsUnlessListedAsInsecure() {
        LabRegistry lab = LabRegistry.htpasswd();
        proxy = new FaultProxy(lab.host());
        other = new RecordingServer(401, null, null);
        proxy.always("GET", "/v2/", new Fault.Answer(401, "WWW-Authenticate",
                "Bearer realm=\"http://" + other.host() + "/token\",service=\"lab\""));
        RecastException failure = conversionFails(lab, List.of(proxy.host(), other.host()), Set.of(proxy.host()));
        assertEquals(ErrorKind.UPSTREAM_AUTH, failure.kind(), failure.getMessage());
        assertTrue(failure.getMessage().contains("plain HTTP"), failure.getMessage());
        assertFalse(other.received().isEmpty(), "the listed realm was asked for a token");
        assertTrue(other.received().stream().allMatch(r -> r.authorization().equals("none")),
                "without the registry's credentials: " + other.received());
    }

    @Test
    void aPlainHttpTokenRealmListedAsInsecureGetsTheCredentials() {
        LabRegistry lab = LabRegistry.htpasswd();
        proxy = new FaultProxy(lab.host());
        other = new RecordingServer(401, null, null);
        proxy.always("GET", "/v2/", new Fault.Answer(401, "WWW-Authenticate",
                "Bearer realm=\"http://" + other.host() + "/token\",service=\"lab\""));
        conversionFails(lab, List.of(proxy.host(), other.host()), Set.of(proxy.host(), other.host()));
        assertFalse(other.received().isEmpty());
        assertTrue(other.received().stream().allMatch(r -> r.authorization().startsWith("Basic ")),
                "the operator listed it: " + other.received());
    }
}
