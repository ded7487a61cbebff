package dev.recast.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.model.Digest;
import dev.recast.registry.ImageStores;
import dev.recast.registry.http.RegistrySettings;
import dev.recast.registry.http.TransferCounters;
import dev.recast.registry.http.WritableRepositories;
import dev.recast.registry.reference.ImageReference;
import dev.recast.testing.LabRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.recast.testing.RegistryImages.assertFaithful;
import static dev.recast.testing.RegistryImages.rawManifest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The layer cache against a real registry: entries written, layers reused, stale entries ignored and rewritten. */
@Tag("registry")
class LayerCacheTest {
    private static final String HELLO = "fixtures/hello:v2s2";
    private final LabRegistry lab = LabRegistry.plain();
    private final String cacheRepository = unique("cache/recast");
    private final List<AutoCloseable> open = new ArrayList<>();
    /** The stores of the engine made last, to read its transfer counters. */
    private ImageStores lastStores;

    @TempDir
    Path tmp;

    /** A fresh engine (its in-process memory empty) with the cache in this test's own repository. */
    private ImageConverter engine(WritableRepositories writable) {
        return engine(writable, false);
    }

    /** @param verify whether entries read from the registry are checked by unpacking their blob */
    private ImageConverter engine(WritableRepositories writable, boolean verify) {
        ImageStores stores = new ImageStores(RegistrySettings.defaults(), writable);
        ImageConverter converter = new ImageConverter(stores, 3, ImageConverter.Limits.DEFAULT,
                LayerCache.inRepository(cacheRepository, LayerCache.MEMORY, verify));
        open.add(converter);
        open.add(stores);
        lastStores = stores;
        return converter;
    }

    private ImageConverter engine() {
        return engine(WritableRepositories.ANY);
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : open) {
            closeable.close();
        }
    }

    private ConversionReport convert(ImageConverter converter, String source, String target, ConversionOptions options) {
        return converter.convert(ImageReference.parse(lab.ref(source)), ImageReference.parse(target), options);
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

    @Test
    void aSecondConversionIntoAnotherRepositoryReusesEveryLayer() throws Exception {
        ConversionReport first = convert(engine(), HELLO, lab.ref(unique("cached/a") + ":oci"), ConversionOptions.DEFAULT);
        assertEquals(List.of(LayerAction.RECOMPRESSED, LayerAction.RECOMPRESSED, LayerAction.RECOMPRESSED), actions(first));
        for (LayerReport layer : first.images().getFirst().layers()) {
            JsonNode entry = rawManifest(lab, cacheRepository + ":" + cacheTag(layer));
            assertEquals(LayerCacheEntry.ARTIFACT_TYPE, entry.path("artifactType").asText(), entry.toString());
            assertEquals(layer.targetDigest().toString(), entry.path("layers").get(0).path("digest").asText());
            assertEquals(layer.targetSize(), entry.path("layers").get(0).path("size").asLong());
            assertEquals(layer.diffId().toString(), entry.path("annotations").path("dev.recast.layer-cache.diff-id").asText());
            assertEquals(layer.sourceDigest().toString(),
                    entry.path("annotations").path("dev.recast.layer-cache.source-digest").asText());
        }

        // a fresh engine: nothing in memory, every entry read from the registry
        ImageConverter second = engine();
        TransferCounters.Snapshot before = lastStores.counters().snapshot();
        String repoB = unique("cached/b");
        ConversionReport reused = convert(second, HELLO, lab.ref(repoB + ":oci"), ConversionOptions.DEFAULT);
        TransferCounters.Snapshot delta = lastStores.counters().snapshot().minus(before);

        assertEquals(List.of(LayerAction.REUSED, LayerAction.REUSED, LayerAction.REUSED), actions(reused));
        assertEquals(0, reused.totals().recompressed());
        assertEquals(3, reused.totals().reused());
        assertEquals(0, delta.blobBytesUploaded(), "no layer uploaded: all mounted from the cache (config from the source)");
        assertEquals(first.targetDigest(), reused.targetDigest(), "the same layers give the same manifest");
        assertFaithful(lab, HELLO, lab, repoB + ":oci", tmp.resolve("check"));
    }

    @Test
    void anEntryWhoseBlobIsGoneIsIgnoredTheLayerRecompressedAndTheEntryWrittenAgain() throws Exception {
        ImageConverter converter = engine();
        ConversionReport first = convert(converter, HELLO, lab.ref(unique("stale/a") + ":oci"), ConversionOptions.DEFAULT);
        LayerReport gone = first.images().getFirst().layers().get(1);
        assertEquals(202, deleteBlob(cacheRepository, gone.targetDigest()));
        assertEquals(404, headBlob(cacheRepository, gone.targetDigest()));

        // the same engine: its memory still has the entry, but the blob is checked before it is trusted
        ConversionReport again = convert(converter, HELLO, lab.ref(unique("stale/c") + ":oci"), ConversionOptions.DEFAULT);

        assertEquals(List.of(LayerAction.REUSED, LayerAction.RECOMPRESSED, LayerAction.REUSED), actions(again));
        assertTrue(again.notes().stream().anyMatch(n -> n.contains("names a blob that is gone")), again.notes().toString());
        assertEquals(200, headBlob(cacheRepository, gone.targetDigest()), "the entry's blob is back in the cache");
        ConversionReport third = convert(engine(), HELLO, lab.ref(unique("stale/d") + ":oci"), ConversionOptions.DEFAULT);
        assertEquals(List.of(LayerAction.REUSED, LayerAction.REUSED, LayerAction.REUSED), actions(third));
    }

    @Test
    void verifyingAnEntryWhoseBlobDoesNotUnpackToTheLayerIsIgnoredElseTheCacheRepositoryIsTrusted() throws Exception {
        ConversionReport first = convert(engine(), HELLO, lab.ref(unique("poison/a") + ":oci"), ConversionOptions.DEFAULT);
        LayerReport honest = first.images().getFirst().layers().get(0);
        LayerReport poisoned = first.images().getFirst().layers().get(1);
        // whoever can push to the cache repository points layer 1's entry at layer 0's (valid, present) blob
        ObjectNode entry = (ObjectNode)
                rawManifest(lab, cacheRepository + ":" + cacheTag(poisoned));
        ObjectNode blob = (ObjectNode) entry.path("layers").get(0);
        blob.put("digest", honest.targetDigest().toString());
        blob.put("size", honest.targetSize());
        HttpResponse<String> put = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + lab.host()
                        + "/v2/" + cacheRepository + "/manifests/" + cacheTag(poisoned)))
                .header("Content-Type", entry.path("mediaType").asText())
                .PUT(HttpRequest.BodyPublishers.ofString(entry.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, put.statusCode(), put.body());

        String repository = unique("poison/b");
        ConversionReport next = convert(engine(WritableRepositories.ANY, true), HELLO, lab.ref(repository + ":oci"),
                ConversionOptions.DEFAULT);

        assertEquals(List.of(LayerAction.REUSED, LayerAction.RECOMPRESSED, LayerAction.REUSED), actions(next));
        assertTrue(next.notes().stream().anyMatch(n -> n.contains("does not unpack to " + poisoned.diffId())),
                next.notes().toString());
        assertFaithful(lab, HELLO, lab, repository + ":oci", tmp.resolve("check"));

        // the default trade (docs/layer-cache.md): whoever may push to the cache repository is trusted, as the
        // target's writers are; the entry (rewritten above by the verifying run) is poisoned again and used unread
        assertEquals(201, HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + lab.host()
                        + "/v2/" + cacheRepository + "/manifests/" + cacheTag(poisoned)))
                .header("Content-Type", entry.path("mediaType").asText())
                .PUT(HttpRequest.BodyPublishers.ofString(entry.toString())).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        ConversionReport trusting = convert(engine(), HELLO, lab.ref(unique("poison/c") + ":oci"),
                ConversionOptions.DEFAULT);
        assertEquals(List.of(LayerAction.REUSED, LayerAction.REUSED, LayerAction.REUSED), actions(trusting));
        assertEquals(honest.targetDigest(), trusting.images().getFirst().layers().get(1).targetDigest());
    }

    @Test
    void aLayerSharedWithAnotherImageIsReusedByIt() {
        ConversionReport amd64 = convert(engine(), "fixtures/app:amd64", lab.ref(unique("shared/a") + ":oci"),
                ConversionOptions.DEFAULT);
        assertEquals(List.of(LayerAction.RECOMPRESSED), actions(amd64));

        // fixtures/multi lists the same amd64 image and an arm64 one
        ConversionReport multi = convert(engine(), "fixtures/multi:latest", lab.ref(unique("shared/b") + ":oci"),
                ConversionOptions.DEFAULT);
        for (ImageReport image : multi.images()) {
            LayerAction expected = image.platform().architecture().equals("amd64") ? LayerAction.REUSED
                    : LayerAction.RECOMPRESSED;
            assertEquals(expected, image.layers().getFirst().action(), image.toString());
        }
        assertEquals(1, multi.totals().reused());
        assertEquals(1, multi.totals().recompressed());
    }

    @Test
    void dryRunsLayoutsAndOtherOptionsNeitherUseNorWriteEntriesTheyDoNotMatch() {
        convert(engine(), HELLO, lab.ref(unique("opts/a") + ":oci"), ConversionOptions.DEFAULT);
        List<String> entries = lab.tags(cacheRepository);
        assertEquals(3, entries.size(), entries.toString());

        ConversionReport dryRun = convert(engine(), HELLO, lab.ref(unique("opts/b") + ":oci"),
                ConversionOptions.DEFAULT.withDryRun(true));
        assertTrue(actions(dryRun).stream().allMatch(a -> a == LayerAction.RECOMPRESSED), actions(dryRun).toString());
        ConversionReport layout = convert(engine(), HELLO, "oci:" + tmp.resolve("layout") + ":oci", ConversionOptions.DEFAULT);
        assertTrue(actions(layout).stream().allMatch(a -> a == LayerAction.RECOMPRESSED), actions(layout).toString());
        assertEquals(entries, lab.tags(cacheRepository), "neither wrote an entry");

        ConversionOptions level5 = new ConversionOptions(null, 5, List.of(), false);
        ConversionReport otherLevel = convert(engine(), HELLO, lab.ref(unique("opts/c") + ":oci"), level5);
        assertTrue(actions(otherLevel).stream().allMatch(a -> a == LayerAction.RECOMPRESSED), actions(otherLevel).toString());
        assertEquals(6, lab.tags(cacheRepository).size(), "level 5 has entries of its own");
    }

    @Test
    void aCacheRepositoryTheServiceMayNotWriteIsSkippedWithoutFailingTheConversion() {
        String repo = unique("limited/a");
        ImageConverter limited = engine(WritableRepositories.of(List.of(lab.host() + "/limited/**")));
        ConversionReport report = convert(limited, HELLO, lab.ref(repo + ":oci"), ConversionOptions.DEFAULT);
        assertEquals(ConversionReport.Outcome.CONVERTED, report.outcome());
        assertEquals(3, report.totals().recompressed());
        assertEquals(List.of(), lab.tags(cacheRepository), "no entry outside recast.registries.writable");
    }

    @Test
    void cacheEntriesAreNeverConvertedAsImages() {
        ConversionReport first = convert(engine(), HELLO, lab.ref(unique("entry/a") + ":oci"), ConversionOptions.DEFAULT);
        String entry = cacheRepository + ":" + cacheTag(first.images().getFirst().layers().getFirst());
        RecastException refused = assertThrows(RecastException.class,
                () -> convert(engine(), entry, lab.ref(unique("entry/b") + ":oci"), ConversionOptions.DEFAULT));
        assertEquals(ErrorKind.BAD_REQUEST, refused.kind());
        assertTrue(refused.getMessage().contains("layer cache entries"), refused.getMessage());
    }

    private int deleteBlob(String repository, Digest digest) throws Exception {
        return send("DELETE", repository, digest);
    }

    private int headBlob(String repository, Digest digest) throws Exception {
        return send("HEAD", repository, digest);
    }

    private int send(String method, String repository, Digest digest) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + lab.host() + "/v2/" + repository
                    + "/blobs/" + digest)).method(method, HttpRequest.BodyPublishers.noBody()).build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }
}
