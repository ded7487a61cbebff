package dev.recast.registry.http;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.RegistryError.Code;
import dev.recast.RegistryError;
import dev.recast.model.Content;
import dev.recast.model.Descriptor;
import dev.recast.model.Digest;
import dev.recast.model.MediaType;
import dev.recast.registry.ImageStores;
import dev.recast.testing.LabRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Registry error bodies become classified errors: first from bodies captured from the lab registry (CNCF
 * distribution 2.8), then from the registry itself, provoked through the store.
 */
@Tag("registry")
class RegistryErrorTest {
    private final LabRegistry lab = LabRegistry.plain();
    private final ImageStores stores = new ImageStores(RegistrySettings.defaults().withCredentials(host -> java.util.Optional.empty()));
    private final String repository = "errors/" + UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void close() {
        stores.close();
    }

    private static RegistryError classify(int status, String body) {
        return RegistryFailure.classify(status, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void capturedBodiesAreClassifiedByTheirCode() {
        RegistryError blob = classify(400, "{\"errors\":[{\"code\":\"MANIFEST_BLOB_UNKNOWN\",\"message\":\"blob unknown to "
                + "registry\",\"detail\":\"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\"}]}");
        assertEquals(new RegistryError(Code.MANIFEST_BLOB_UNKNOWN, "blob unknown to registry", 400), blob);
        RegistryError digest = classify(400, "{\"errors\":[{\"code\":\"DIGEST_INVALID\",\"message\":\"provided digest did "
                + "not match uploaded content\",\"detail\":{\"Digest\":\"sha256:00\",\"Reason\":{}}}]}");
        assertEquals(Code.DIGEST_INVALID, digest.code());
        assertEquals(ErrorKind.DIGEST_MISMATCH, RegistryFailure.kindOf(digest));
        assertEquals(Code.MANIFEST_UNKNOWN, classify(404, "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":"
                + "\"manifest unknown\",\"detail\":{\"Tag\":\"nope\"}}]}").code());
        assertEquals(Code.BLOB_UPLOAD_INVALID, classify(404, "{\"errors\":[{\"code\":\"BLOB_UPLOAD_INVALID\",\"message\":"
                + "\"blob upload invalid\",\"detail\":{}}]}").code());
        assertEquals(Code.MANIFEST_INVALID, classify(400, "{\"errors\":[{\"code\":\"MANIFEST_INVALID\",\"message\":"
                + "\"manifest invalid\",\"detail\":{\"Offset\":18}}]}").code());
        RegistryError page = classify(404, "404 page not found\n");
        assertEquals(new RegistryError(Code.UNKNOWN, "", 404), page);
        assertEquals(ErrorKind.NOT_FOUND, RegistryFailure.kindOf(page));
        assertEquals(new RegistryError(Code.UNKNOWN, "SOMETHING_NEW not in the spec", 400),
                classify(400, "{\"errors\":[{\"code\":\"SOMETHING_NEW\",\"message\":\"not in the spec\"}]}"));
        assertEquals(Code.TOOMANYREQUESTS, classify(429, "{\"errors\":[{\"code\":\"toomanyrequests\"}]}").code());
    }

    @Test
    void theKindFollowsTheStatusThenTheCode() {
        assertEquals(ErrorKind.UPSTREAM_AUTH, RegistryFailure.kindOf(new RegistryError(Code.DENIED, "", 403)));
        assertEquals(ErrorKind.UPSTREAM_AUTH, RegistryFailure.kindOf(new RegistryError(Code.DENIED, "", 400)));
        assertEquals(ErrorKind.TOO_LARGE, RegistryFailure.kindOf(new RegistryError(Code.SIZE_INVALID, "", 413)));
        assertEquals(ErrorKind.DIGEST_MISMATCH, RegistryFailure.kindOf(new RegistryError(Code.SIZE_INVALID, "", 400)));
        assertEquals(ErrorKind.UPSTREAM, RegistryFailure.kindOf(new RegistryError(Code.DIGEST_INVALID, "", 500)));
        assertEquals(ErrorKind.UPSTREAM, RegistryFailure.kindOf(new RegistryError(Code.MANIFEST_BLOB_UNKNOWN, "", 400)));
    }

    @Test
    void aManifestNamingAMissingBlobIsManifestBlobUnknown() {
        RegistryStore store = new RegistryStore(stores.caller(lab.host()), repository);
        byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
        Content manifest = Content.of(MediaType.OCI_MANIFEST, ("{\"schemaVersion\":2,\"mediaType\":\""
                + MediaType.OCI_MANIFEST.value() + "\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\","
                + "\"digest\":\"" + Digest.sha256(config) + "\",\"size\":2},\"layers\":[]}").getBytes(StandardCharsets.UTF_8));
        RecastException error = assertThrows(RecastException.class, () -> store.putManifest(manifest));
        assertTrue(error.isRegistryError(Code.MANIFEST_BLOB_UNKNOWN), error.getMessage());
        assertEquals(400, error.registryError().orElseThrow().status());
        assertEquals(ErrorKind.UPSTREAM, error.kind());
        assertTrue(error.getMessage().contains("PUT manifest " + store.name()), error.getMessage());
    }

    @Test
    void aMalformedManifestIsManifestInvalid() {
        RegistryStore store = new RegistryStore(stores.caller(lab.host()), repository);
        RecastException error = assertThrows(RecastException.class, () -> store.tag("broken",
                Content.of(MediaType.OCI_MANIFEST, "{\"schemaVersion\":2".getBytes(StandardCharsets.UTF_8))));
        assertTrue(error.isRegistryError(Code.MANIFEST_INVALID), error.getMessage());
    }

    @Test
    void anUploadWhoseDigestDoesNotMatchIsDigestInvalid() {
        RegistryEndpointCaller caller = stores.caller(lab.host());
        RemoteRepository remote = new RemoteRepository(caller, repository);
        URI start = remote.url("blobs/uploads/");
        HttpResponse<InputStream> opened = caller.send(new RegistryCall("POST", start, Map.of(), null, remote.push(), true,
                "start"), Set.of(202));
        RegistryFailure.drain(opened);
        URI session = BlobUpload.location(remote, start, opened);
        String wrong = "sha256:" + "0".repeat(64);
        RecastException error = assertThrows(RecastException.class, () -> caller.send(new RegistryCall("PUT",
                BlobUpload.withQuery(session, "digest=" + wrong), Map.of("Content-Type", "application/octet-stream"),
                "hello".getBytes(StandardCharsets.UTF_8), remote.push(), false, "finish upload"), Set.of(201)));
        assertTrue(error.isRegistryError(Code.DIGEST_INVALID), error.getMessage());
        assertEquals(ErrorKind.DIGEST_MISMATCH, error.kind());
    }

    @Test
    void readingWhatIsNotThereIsNotFoundWithTheRegistrysCode() {
        RegistryStore store = new RegistryStore(stores.caller(lab.host()), "fixtures/hello");
        Digest missing = Digest.parse("sha256:" + "0".repeat(64));
        RecastException blob = assertThrows(RecastException.class, () -> store.openBlob(
                new Descriptor(MediaType.OCI_LAYER_GZIP, missing, 5)));
        assertEquals(ErrorKind.NOT_FOUND, blob.kind());
        assertTrue(blob.isRegistryError(Code.BLOB_UNKNOWN), blob.getMessage());

        RecastException manifest = assertThrows(RecastException.class, () -> store.requireManifest("no-such-tag"));
        assertEquals(ErrorKind.NOT_FOUND, manifest.kind());
        assertTrue(manifest.getMessage().contains("no-such-tag") && manifest.getMessage().contains(store.name()),
                manifest.getMessage());
        assertTrue(store.findManifest("no-such-tag").isEmpty(), "findManifest still answers empty for a 404");
    }

    @Test
    void theRegistryErrorSurvivesNamingTheImage() {
        RecastException error = new RecastException(ErrorKind.UPSTREAM, "answered 400",
                new RegistryError(Code.NAME_INVALID, "invalid name", 400)).in("reg/app:v1", null);
        assertTrue(error.isRegistryError(Code.NAME_INVALID));
        assertTrue(error.getMessage().contains("reg/app:v1"));
    }
}
