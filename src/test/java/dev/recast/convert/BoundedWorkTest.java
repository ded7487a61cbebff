package dev.recast.convert;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.index.IndexBuilder;
import dev.recast.index.IndexRequest;
import dev.recast.index.IndexSource;
import dev.recast.inspect.ImageInspector;
import dev.recast.registry.ImageStores;
import dev.recast.registry.reference.ImageReference;
import dev.recast.testing.CraftedImages;
import dev.recast.testing.FaultProxy;
import dev.recast.testing.LabRegistry;
import dev.recast.testing.RegistryImages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile shapes, pushed into a real registry and read through a proxy that logs every request: each is refused by
 * its limit as soon as it is parsed (nothing it names fetched, nothing tagged), and with the limits raised, no child
 * is read or converted twice however many paths lead to it.
 */
@Tag("registry")
class BoundedWorkTest {
    private static final ImageConverter.Limits DEEP = new ImageConverter.Limits(4L << 20, 8L << 20, 64L << 30, 5000,
            1024, 64, 1000, Duration.ofMinutes(5));

    private final LabRegistry lab = LabRegistry.plain();
    private final FaultProxy proxy = new FaultProxy(lab.host());
    private final ImageStores stores = new ImageStores(proxy.quickSettings());

    @AfterEach
    void close() {
        stores.close();
        proxy.close();
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private ImageReference ref(String repositoryAndTag) {
        return ImageReference.parse(proxy.host() + "/" + repositoryAndTag);
    }

    private List<String> manifestReadsByDigest(String repository) {
        return proxy.requests().stream().filter(r -> r.startsWith("GET /v2/" + repository + "/manifests/sha256:")).toList();
    }

    private List<String> blobRequests() {
        return proxy.requests().stream().filter(r -> r.contains("/blobs/")).toList();
    }

    private static void assertRefusedByLimit(String limit, String image, Executable work) {
        RecastException refused = assertThrows(RecastException.class, work);
        assertEquals(ErrorKind.TOO_LARGE, refused.kind(), refused.getMessage());
        assertTrue(refused.getMessage().contains(limit), refused.getMessage());
        assertEquals(image, refused.image(), refused.getMessage());
    }

    @Test
    void aNestedIndexWithTwoToTheFortyPathsIsReadAndConvertedOncePerDigest() {
        String repository = unique("bounded/nested");
        CraftedImages.nestedIndex(lab, repository, 40);
        try (ImageConverter converter = new ImageConverter(stores, 2, DEEP)) {
            ConversionReport report = converter.convert(ref(repository + ":top"), ref(repository + ":top-oci"),
                    ConversionOptions.DEFAULT);
            assertEquals(ConversionReport.Outcome.CONVERTED, report.outcome());
            assertEquals(1, report.images().size(), "the one image at the bottom, converted once");
            assertEquals(3, report.totals().layers());
        }
        List<String> reads = manifestReadsByDigest(repository);
        assertEquals(40, reads.size(), "39 indexes below the top and the image, each read once: " + reads);
        assertEquals(40, new HashSet<>(reads).size());
        JsonNode result = RegistryImages.rawManifest(lab, repository + ":top-oci");
        assertEquals(CraftedImages.OCI_INDEX, result.path("mediaType").asText());
        assertEquals(result.path("manifests").get(0).path("digest"), result.path("manifests").get(1).path("digest"));

        int before = manifestReadsByDigest(repository).size();
        new ImageInspector(stores, DEEP).inspect(ref(repository + ":top"));
        assertEquals(1, manifestReadsByDigest(repository).size() - before, "inspection reads the shared child once");
    }

    @Test
    void theDefaultDepthRefusesTheNestedIndexAtItsFifthLevel() {
        String repository = unique("bounded/deep");
        CraftedImages.nestedIndex(lab, repository, 40);
        String source = ref(repository + ":top").toString();
        try (ImageConverter converter = new ImageConverter(stores, 2, ImageConverter.Limits.DEFAULT)) {
            assertRefusedByLimit("recast.limits.index-depth", source, () -> converter.convert(ref(repository + ":top"),
                    ref(repository + ":top-oci"), ConversionOptions.DEFAULT));
        }
        assertEquals(4, manifestReadsByDigest(repository).size(), "levels 2 to 5 read, nothing below");
        assertEquals(List.of(), blobRequests());
        assertEquals(List.of("hello", "top"), lab.tags(repository));
    }

    @Test
    void aWideIndexIsRefusedBeforeAnyEntryIsReadWhenConvertedInspectedOrIndexed() {
        String repository = unique("bounded/wide");
        CraftedImages.wideIndex(lab, repository, 20_000);
        ImageReference wide = ref(repository + ":wide");
        try (ImageConverter converter = new ImageConverter(stores, 2, ImageConverter.Limits.DEFAULT)) {
            assertRefusedByLimit("recast.limits.index-entries", wide.toString(), () -> converter.convert(wide,
                    ref(repository + ":wide-oci"), ConversionOptions.DEFAULT));
            assertRefusedByLimit("recast.limits.index-entries", wide.toString(),
                    () -> new ImageInspector(stores, ImageConverter.Limits.DEFAULT).inspect(wide));
            IndexBuilder builder = new IndexBuilder(stores, converter, ImageConverter.Limits.DEFAULT.configBytes());
            assertRefusedByLimit("recast.limits.index-entries", wide.toString(), () -> builder.build(new IndexRequest(
                    ref(repository + ":all"), List.of(new IndexSource(wide)), true, ConversionOptions.DEFAULT, false,
                    false, Map.of())));
        }
        assertEquals(List.of(), manifestReadsByDigest(repository), "no entry was read");
        assertEquals(List.of(), blobRequests());
        assertEquals(List.of("hello", "wide"), lab.tags(repository));
    }

    @Test
    void anImageWithTooManyLayersIsRefusedBeforeItsConfigIsRead() {
        String repository = unique("bounded/layers");
        CraftedImages.manyLayers(lab, repository, 1001);
        ImageReference image = ref(repository + ":layers");
        try (ImageConverter converter = new ImageConverter(stores, 2, ImageConverter.Limits.DEFAULT)) {
            assertRefusedByLimit("recast.limits.image-layers", image.toString(), () -> converter.convert(image,
                    ref(repository + ":layers-oci"), ConversionOptions.DEFAULT));
        }
        assertEquals(List.of(), blobRequests());
        assertEquals(List.of("hello", "layers"), lab.tags(repository));
    }
}
