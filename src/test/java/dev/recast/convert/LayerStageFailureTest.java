package dev.recast.convert;

import dev.recast.RecastException;
import dev.recast.registry.reference.ImageReference;
import dev.recast.testing.FaultProxy;
import dev.recast.testing.FaultProxy.Fault;
import dev.recast.testing.ProxiedConverter;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A layer's pipeline against a real registry that fails it: an upload the registry keeps refusing, a download cut
 * short. The failure names the image and the layer, and no stage thread is left running.
 */
@Tag("registry")
class LayerStageFailureTest {
    @AutoClose
    private final ProxiedConverter proxied = new ProxiedConverter();
    private final FaultProxy proxy = proxied.proxy;
    private final ImageConverter converter = proxied.converter;

    private static Set<String> stageThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("recast-stage-")).collect(Collectors.toSet());
    }

    private RecastException failedConversion() {
        ImageReference source = proxied.ref("fixtures/hello:v2s2");
        ImageReference target = proxied.ref("stages/fail-"
                + UUID.randomUUID().toString().substring(0, 8) + ":oci");
        return assertThrows(RecastException.class, () -> converter.convert(source, target, ConversionOptions.DEFAULT));
    }

    @Test
    void anUploadTheRegistryKeepsRefusingFailsNamingTheLayerAndStopsEveryStage() {
        proxy.always("PUT", "/blobs/uploads/", new Fault.Status(500, null));
        RecastException failed = failedConversion();
        assertNotNull(failed.layer(), failed.getMessage());
        assertTrue(failed.layer().startsWith("sha256:"), failed.getMessage());
        assertTrue(failed.image().endsWith("fixtures/hello:v2s2"), failed.getMessage());
        assertEquals(Set.of(), stageThreads());
    }

    @Test
    void aDownloadCutShortFailsNamingTheLayerAndStopsEveryStage() {
        proxy.always("GET", "/fixtures/hello/blobs/sha256:", new Fault.CutBody(100));
        RecastException failed = failedConversion();
        assertNotNull(failed.layer(), failed.getMessage());
        assertTrue(failed.image().endsWith("fixtures/hello:v2s2"), failed.getMessage());
        assertEquals(Set.of(), stageThreads());
    }
}
