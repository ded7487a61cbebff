package dev.recast.convert;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recast.registry.ImageStores;
import dev.recast.registry.http.TransferCounters;
import dev.recast.testing.CraftedImages;
import dev.recast.testing.FaultProxy;
import dev.recast.testing.LabRegistry;
import dev.recast.testing.ProxiedConverter;
import dev.recast.testing.RegistryImages;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every manifest is written once: converting an index of N images into a real registry takes exactly N + 1 manifest
 * PUTs (the N images by digest, then the index by its tag, last), and every manifest and blob of the source is read
 * once. Counted on the wire, by a proxy that logs each request the registry receives.
 */
@Tag("registry")
class ManifestWritesTest {
    @AutoClose
    private final ProxiedConverter proxied = new ProxiedConverter();
    private final LabRegistry lab = proxied.lab;
    private final FaultProxy proxy = proxied.proxy;
    private final ImageStores stores = proxied.stores;
    private final ImageConverter converter = proxied.converter;

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private List<String> requests(String method, String pathPrefix) {
        return proxy.requests().stream().filter(r -> r.startsWith(method + " " + pathPrefix)).toList();
    }

    /**
     * Converts, and checks the writes: the {@code images} of an index by digest (0 for a single image), then one
     * manifest by {@code tag}, the last write.
     */
    private ConversionReport convertCountingWrites(String source, String targetRepository, String tag, int images) {
        TransferCounters.Snapshot before = stores.counters().snapshot();
        int logged = proxy.requests().size();
        int answered = proxy.answered().size();
        ConversionReport report = converter.convert(proxied.ref(source), proxied.ref(targetRepository + ":" + tag),
                ConversionOptions.DEFAULT);
        assertEquals(ConversionReport.Outcome.CONVERTED, report.outcome());

        List<String> puts = proxy.acceptedSince(answered, "PUT /v2/" + targetRepository + "/manifests/");
        assertEquals(images + 1, puts.size(), "N + 1 manifest PUTs: " + puts);
        assertEquals(puts.size(), new HashSet<>(puts).size(), "no manifest written twice: " + puts);
        puts.subList(0, images).forEach(put -> assertTrue(put.contains("/manifests/sha256:"), put));
        assertEquals("PUT /v2/" + targetRepository + "/manifests/" + tag, puts.getLast(), "the tag, last");
        List<String> after = proxy.requests().subList(logged, proxy.requests().size());
        assertEquals(puts.getLast(), after.stream().filter(r -> r.startsWith("PUT ")).reduce((a, b) -> b).orElseThrow(),
                "nothing is written after the tag");

        TransferCounters.Snapshot delta = stores.counters().snapshot().minus(before);
        assertEquals(images, delta.manifestsPut(), "manifests by digest");
        assertEquals(1, delta.tagsPut(), "the index, by its tag");
        assertEquals(Math.max(1, images), report.images().size());
        return report;
    }

    /** Every manifest and blob of {@code repository} was read (GET) at most once. */
    private void assertReadOnce(String repository) {
        List<String> reads = requests("GET", "/v2/" + repository + "/");
        assertTrue(!reads.isEmpty(), "the source was read");
        assertEquals(reads.size(), new HashSet<>(reads).size(), "each manifest and blob read once: " + reads);
    }

    @Test
    void theMultiFixtureOfTwoImagesTakesThreeManifestPuts() {
        String repository = unique("writes/multi");
        ConversionReport report = convertCountingWrites("fixtures/multi:latest", repository, "oci", 2);
        // besides the lookups of referrer tags (sha256-<hex>, cosign's .sig/.att/.sbom) for each of the three
        assertEquals(3, requests("GET", "/v2/fixtures/multi/manifests/").stream()
                .filter(r -> !r.contains("/manifests/sha256-")).count(), "the list and its two images");
        assertReadOnce("fixtures/multi");

        JsonNode index = RegistryImages.rawManifest(lab, repository + ":oci");
        assertEquals(CraftedImages.OCI_INDEX, index.path("mediaType").asText());
        assertEquals(2, index.path("manifests").size());
        assertEquals(report.targetDigest().toString(), RegistryImages.rawDigest(lab, repository + ":oci"));

        int puts = requests("PUT", "/v2/").size();
        ConversionReport again = converter.convert(proxied.ref("fixtures/multi:latest"), proxied.ref(repository + ":oci"),
                ConversionOptions.DEFAULT);
        assertEquals(ConversionReport.Outcome.ALREADY_CONVERTED, again.outcome());
        assertEquals(puts, requests("PUT", "/v2/").size(), "a rerun writes nothing");
    }

    @Test
    void aGeneratedIndexOfThreeImagesTakesFourManifestPuts() {
        String repository = unique("writes/three");
        List<CraftedImages.Stored> images = List.of(
                CraftedImages.copied(lab, "fixtures/hello:v2s2", repository, "hello"),
                CraftedImages.copied(lab, "fixtures/app:amd64", repository, "amd64"),
                CraftedImages.copied(lab, "fixtures/app:arm64", repository, "arm64"));
        CraftedImages.index(lab, repository, "three", images, List.of("{\"architecture\":\"s390x\",\"os\":\"linux\"}",
                "{\"architecture\":\"amd64\",\"os\":\"linux\"}",
                "{\"architecture\":\"arm64\",\"os\":\"linux\",\"variant\":\"v8\"}"));

        convertCountingWrites(repository + ":three", repository, "three-oci", 3);
        assertReadOnce(repository);
        JsonNode index = RegistryImages.rawManifest(lab, repository + ":three-oci");
        assertEquals(3, index.path("manifests").size());
        for (JsonNode child : index.path("manifests")) {
            assertEquals("application/vnd.oci.image.manifest.v1+json",
                    RegistryImages.rawManifest(lab, repository + "@" + child.path("digest").asText()).path("mediaType").asText());
        }
    }

    @Test
    void aSingleImageTakesOneManifestPutByItsTag() {
        String repository = unique("writes/single");
        CraftedImages.hello(lab, repository);
        convertCountingWrites(repository + ":hello", repository, "hello-oci", 0);
        assertReadOnce(repository);
    }
}
