package dev.recast.convert;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recast.model.Digest;
import dev.recast.registry.ImageStores;
import dev.recast.registry.http.RegistrySettings;
import dev.recast.registry.reference.ImageReference;
import dev.recast.testing.LabRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.recast.testing.RegistryImages.rawManifest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cache entries whose writers are not the target's are checked even with recast.cache.verify=false: a repository a
 * request chose, and a cache on another registry. Whatever the trust, a reused blob must start as the compression its
 * entry claims.
 */
@Tag("registry")
class LayerCacheTrustTest {
    private static final String HELLO = "fixtures/hello:v2s2";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final LabRegistry lab = LabRegistry.plain();
    private final List<AutoCloseable> open = new ArrayList<>();

    /** A fresh engine (nothing in memory) with the cache in {@code repository}, entries trusted unless checked. */
    private ImageConverter engine(String repository) {
        ImageStores stores = new ImageStores(RegistrySettings.defaults());
        ImageConverter converter = new ImageConverter(stores, 3, ImageConverter.Limits.DEFAULT,
                LayerCache.inRepository(repository, LayerCache.MEMORY, false));
        open.add(converter);
        open.add(stores);
        return converter;
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : open) {
            closeable.close();
        }
    }

    private ConversionReport convert(ImageConverter converter, String target, ConversionOptions options) {
        return converter.convert(ImageReference.parse(lab.ref(HELLO)), ImageReference.parse(lab.ref(target)), options);
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static List<LayerAction> actions(ConversionReport report) {
        return report.images().stream().flatMap(i -> i.layers().stream()).map(LayerReport::action).toList();
    }

    private static String cacheTag(LayerReport layer) {
        return LayerCacheKey.of(layer.sourceDigest(), ConversionOptions.DEFAULT).tag();
    }

    /** Whoever may push to the cache repository points {@code layer}'s entry at another blob there. */
    private static void poison(LabRegistry registry, String repository, LayerReport layer, Digest blob, long size)
            throws Exception {
        ObjectNode entry = (ObjectNode) rawManifest(registry, repository + ":" + cacheTag(layer));
        ObjectNode described = (ObjectNode) entry.path("layers").get(0);
        described.put("digest", blob.toString());
        described.put("size", size);
        HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + registry.host() + "/v2/"
                        + repository + "/manifests/" + cacheTag(layer)))
                .header("Content-Type", entry.path("mediaType").asText())
                .PUT(HttpRequest.BodyPublishers.ofString(entry.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, put.statusCode(), put.body());
    }

    @Test
    void aCacheRepositoryChosenByTheRequestIsVerified() throws Exception {
        String chosen = unique("cache/per-request");
        ConversionOptions options = ConversionOptions.DEFAULT.withCache(CacheChoice.of(true, chosen));
        ConversionReport first = convert(engine("recast-cache"), unique("trust/a") + ":oci", options);
        LayerReport honest = first.images().getFirst().layers().get(0);
        LayerReport poisoned = first.images().getFirst().layers().get(1);
        poison(lab, chosen, poisoned, honest.targetDigest(), honest.targetSize());

        ConversionReport next = convert(engine("recast-cache"), unique("trust/b") + ":oci", options);

        assertEquals(List.of(LayerAction.REUSED, LayerAction.RECOMPRESSED, LayerAction.REUSED), actions(next));
        assertTrue(next.notes().stream().anyMatch(n -> n.contains("does not unpack to " + poisoned.diffId())),
                next.notes().toString());
        assertEquals(poisoned.targetDigest(), next.images().getFirst().layers().get(1).targetDigest());
    }

    @Test
    void aCacheOnAnotherRegistryIsVerified() throws Exception {
        LabRegistry elsewhere = LabRegistry.second();
        String repository = unique("cache/elsewhere");
        String cache = elsewhere.host() + "/" + repository;
        ConversionReport first = convert(engine(cache), unique("trust/c") + ":oci", ConversionOptions.DEFAULT);
        LayerReport honest = first.images().getFirst().layers().get(0);
        LayerReport poisoned = first.images().getFirst().layers().get(1);
        poison(elsewhere, repository, poisoned, honest.targetDigest(), honest.targetSize());

        ConversionReport next = convert(engine(cache), unique("trust/d") + ":oci", ConversionOptions.DEFAULT);

        assertEquals(List.of(LayerAction.REUSED, LayerAction.RECOMPRESSED, LayerAction.REUSED), actions(next));
        assertEquals(poisoned.targetDigest(), next.images().getFirst().layers().get(1).targetDigest());
    }

    @Test
    void anEntryWhoseBlobIsNotTheCompressionItClaimsIsNeverReused() throws Exception {
        String repository = unique("cache/trusted");
        ConversionReport first = convert(engine(repository), unique("trust/e") + ":oci", ConversionOptions.DEFAULT);
        LayerReport poisoned = first.images().getFirst().layers().get(1);
        // the source's own gzip blob: it unpacks to the right diff_id, but the manifest would call it zstd
        HttpResponse<String> mount = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + lab.host() + "/v2/"
                        + repository + "/blobs/uploads/?mount=" + poisoned.sourceDigest() + "&from=fixtures/hello"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, mount.statusCode(), mount.body());
        poison(lab, repository, poisoned, poisoned.sourceDigest(), poisoned.sourceSize());

        ConversionReport next = convert(engine(repository), unique("trust/f") + ":oci", ConversionOptions.DEFAULT);

        assertEquals(List.of(LayerAction.REUSED, LayerAction.RECOMPRESSED, LayerAction.REUSED), actions(next));
        assertTrue(next.notes().stream().anyMatch(n -> n.contains("is not zstd")), next.notes().toString());
        assertEquals(poisoned.targetDigest(), next.images().getFirst().layers().get(1).targetDigest());
    }
}
