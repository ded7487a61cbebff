package dev.recast.convert;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.model.Compression;
import dev.recast.model.MediaType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The way back's options: v2s2 means gzip layers, Docker types, and a label of its own. */
class ManifestFormatTest {

    @Test
    void v2s2DefaultsToGzipAtLevel6AndOciStaysZstd() {
        ConversionOptions back = new ConversionOptions(null, null, List.of(), false, CacheChoice.ENGINE, ManifestFormat.V2S2);
        assertEquals(Compression.GZIP, back.compression());
        assertEquals(6, back.effectiveLevel());
        assertEquals("gzip:6;format=v2s2", back.label());
        ConversionOptions oci = new ConversionOptions(null, null, List.of(), false);
        assertEquals(ManifestFormat.OCI, oci.format());
        assertEquals(Compression.ZSTD, oci.compression());
        assertEquals("zstd:3", oci.label());
        assertNotEquals(new ConversionOptions(Compression.GZIP, null, List.of(), false).label(), back.label());
        assertEquals(ManifestFormat.V2S2, back.withDryRun(true).withCache(CacheChoice.OFF).format());
    }

    @Test
    void v2s2RefusesEveryCompressionButGzip() {
        for (Compression other : List.of(Compression.ZSTD, Compression.NONE)) {
            RecastException e = assertThrows(RecastException.class, () -> new ConversionOptions(other, null,
                    List.of(), false, CacheChoice.ENGINE, ManifestFormat.V2S2));
            assertEquals(ErrorKind.BAD_REQUEST, e.kind());
            assertTrue(e.getMessage().contains("gzip layers only"), e.getMessage());
        }
        assertEquals(ErrorKind.BAD_REQUEST, assertThrows(RecastException.class, () -> ManifestFormat.parse("v2s1")).kind());
        assertEquals(ManifestFormat.V2S2, ManifestFormat.parse(" V2S2 "));
    }

    @Test
    void v2s2TypesAreDockerOnesAndAForeignZstdLayerHasNone() {
        assertEquals(MediaType.DOCKER_LAYER_GZIP, ManifestFormat.V2S2.layerType(Compression.GZIP));
        assertEquals(MediaType.OCI_LAYER_ZSTD, ManifestFormat.OCI.layerType(Compression.ZSTD));
        assertEquals(MediaType.DOCKER_CONFIG, ManifestFormat.V2S2.configType());
        assertEquals(MediaType.OCI_CONFIG, ManifestFormat.OCI.configType());
        assertEquals(MediaType.DOCKER_FOREIGN_LAYER_GZIP, ManifestFormat.V2S2.foreignLayerType(Compression.GZIP, "i", "l"));
        assertEquals(MediaType.DOCKER_FOREIGN_LAYER, ManifestFormat.V2S2.foreignLayerType(Compression.NONE, "i", "l"));
        RecastException e = assertThrows(RecastException.class,
                () -> ManifestFormat.V2S2.foreignLayerType(Compression.ZSTD, "img", "sha256:abc"));
        assertEquals(ErrorKind.UNSUPPORTED, e.kind());
        assertEquals("sha256:abc", e.layer());
        assertEquals(MediaType.OCI_NONDISTRIBUTABLE_LAYER_ZSTD, ManifestFormat.OCI.foreignLayerType(Compression.ZSTD, "i", "l"));
    }
}
