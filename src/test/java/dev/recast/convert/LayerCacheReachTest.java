package dev.recast.convert;

import dev.recast.index.IndexBuilder;
import dev.recast.index.IndexReport;
import dev.recast.index.IndexRequest;
import dev.recast.index.IndexSource;
import dev.recast.registry.ImageStores;
import dev.recast.registry.http.RegistrySettings;
import dev.recast.registry.http.WritableRepositories;
import dev.recast.registry.reference.ImageReference;
import dev.recast.testing.LabRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.recast.testing.RegistryImages.assertFaithful;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The layer cache beyond one registry's conversions: index builds use it, and it may live on another registry. */
@Tag("registry")
class LayerCacheReachTest {
    private static final String HELLO = "fixtures/hello:v2s2";
    private final LabRegistry lab = LabRegistry.plain();
    private final List<AutoCloseable> open = new ArrayList<>();

    @TempDir
    Path tmp;

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A fresh engine (its in-process memory empty) keeping its cache in {@code cacheRepository}. */
    private ImageConverter engine(String cacheRepository) {
        ImageStores stores = new ImageStores(RegistrySettings.defaults(), WritableRepositories.ANY);
        ImageConverter converter = new ImageConverter(stores, 3, ImageConverter.Limits.DEFAULT,
                LayerCache.inRepository(cacheRepository, LayerCache.MEMORY));
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

    private static List<LayerAction> actions(List<ImageReport> images) {
        return images.stream().flatMap(i -> i.layers().stream()).map(LayerReport::action).toList();
    }

    private ConversionReport convert(ImageConverter converter, String target) {
        return converter.convert(ImageReference.parse(lab.ref(HELLO)), ImageReference.parse(target),
                ConversionOptions.DEFAULT);
    }

    @Test
    void anIndexBuiltWithConvertReusesLayersConvertedBefore() {
        String cache = unique("cache/index");
        ConversionReport first = convert(engine(cache), lab.ref(unique("reach/a") + ":oci"));
        assertEquals(List.of(LayerAction.RECOMPRESSED, LayerAction.RECOMPRESSED, LayerAction.RECOMPRESSED),
                actions(first.images()));

        ImageConverter converter = engine(cache);
        ImageStores stores = new ImageStores(RegistrySettings.defaults(), WritableRepositories.ANY);
        open.add(stores);
        String target = unique("reach/index") + ":multi";
        IndexReport index = new IndexBuilder(stores, converter, 8L << 20).build(new IndexRequest(
                ImageReference.parse(lab.ref(target)), List.of(new IndexSource(ImageReference.parse(lab.ref(HELLO)))),
                true, ConversionOptions.DEFAULT, false, false, Map.of()));

        assertEquals(List.of(LayerAction.REUSED, LayerAction.REUSED, LayerAction.REUSED), actions(index.images()));
        assertEquals(first.images().getFirst().layers().stream().map(LayerReport::targetDigest).toList(),
                index.images().getFirst().layers().stream().map(LayerReport::targetDigest).toList());
    }

    @Test
    void aCacheOnAnotherRegistryHasItsBlobsCopiedThereAndBack() throws Exception {
        LabRegistry cacheRegistry = LabRegistry.second();
        String cacheRepository = unique("cache/elsewhere");
        String cache = cacheRegistry.host() + "/" + cacheRepository;

        ConversionReport first = convert(engine(cache), lab.ref(unique("reach/b") + ":oci"));
        assertEquals(3, first.totals().recompressed());
        assertEquals(3, cacheRegistry.tags(cacheRepository).size(), "one entry per layer on the cache's registry");
        for (LayerReport layer : first.images().getFirst().layers()) {
            assertTrue(cacheRegistry.blobData(layer.targetDigest().toString()).toFile().isFile(),
                    "the converted blob was copied to the cache's registry: " + layer.targetDigest());
        }

        String repository = unique("reach/c");
        ConversionReport second = convert(engine(cache), lab.ref(repository + ":oci"));
        assertEquals(List.of(LayerAction.REUSED, LayerAction.REUSED, LayerAction.REUSED), actions(second.images()));
        assertTrue(second.images().getFirst().layers().stream().allMatch(l -> l.note().contains("copied from "
                + cacheRegistry.host())), second.images().toString());
        assertEquals(first.targetDigest(), second.targetDigest());
        assertFaithful(lab, HELLO, lab, repository + ":oci", tmp.resolve("check"));
    }
}
