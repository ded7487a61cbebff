package dev.recast.convert;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.model.Compression;
import dev.recast.model.Descriptor;
import dev.recast.model.Digest;
import dev.recast.model.MediaType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How zstd:chunked is asked for (CLI, REST and webhook rules all parse it here) and what it does to descriptors. */
class ZstdChunkedOptionsTest {
    private static final String OLD_CHECKSUM = "io.github.containers.zstd-chunked.manifest-checksum";

    @Test
    void parsesLabelsAndLevels() {
        assertEquals(Compression.ZSTD_CHUNKED, Compression.parse("zstd:chunked"));
        assertEquals(Compression.ZSTD_CHUNKED, Compression.parse(" ZSTD:Chunked "));
        assertEquals(Compression.ZSTD, Compression.parse("zstd"), "plain zstd stays as it was");
        assertEquals("zstd:chunked", Compression.ZSTD_CHUNKED.label());
        assertEquals(MediaType.OCI_LAYER_ZSTD, MediaType.ociLayer(Compression.ZSTD_CHUNKED), "readers see zstd");

        assertEquals("zstd:chunked:3", new ConversionOptions(Compression.ZSTD_CHUNKED, null, List.of(), false).label());
        assertEquals("zstd:chunked:19", new ConversionOptions(Compression.ZSTD_CHUNKED, 19, List.of(), false).label());
        RecastException level = assertThrows(RecastException.class,
                () -> new ConversionOptions(Compression.ZSTD_CHUNKED, 23, List.of(), false));
        assertEquals(ErrorKind.BAD_REQUEST, level.kind());
        RecastException unknown = assertThrows(RecastException.class, () -> Compression.parse("chunked"));
        assertTrue(unknown.getMessage().contains("zstd:chunked"), unknown.getMessage());
    }

    @Test
    void aNewBlobDropsTheTocAnnotationsOfTheOldAndKeepsTheRest() {
        Digest old = Digest.sha256("old".getBytes(StandardCharsets.UTF_8));
        Digest fresh = Digest.sha256("new".getBytes(StandardCharsets.UTF_8));
        Descriptor before = new Descriptor(MediaType.OCI_LAYER_ZSTD, old, 10).withAnnotations(Map.of(
                OLD_CHECKSUM, "sha256:aa", "io.containers.zstd-chunked.manifest-position", "1:2:3:1",
                "org.example.kept", "yes"));

        Descriptor gzip = new LayerOutcome(LayerAction.RECOMPRESSED, MediaType.OCI_LAYER_GZIP, fresh, 20, 0, null)
                .applyTo(before);
        assertEquals(Map.of("org.example.kept", "yes"), gzip.annotations());

        Descriptor chunked = new LayerOutcome(LayerAction.RECOMPRESSED, MediaType.OCI_LAYER_ZSTD, fresh, 20, 0, null,
                Map.of(OLD_CHECKSUM, "sha256:bb")).applyTo(before);
        assertEquals(Map.of("org.example.kept", "yes", OLD_CHECKSUM, "sha256:bb"), chunked.annotations());

        Descriptor kept = new LayerOutcome(LayerAction.SKIPPED, MediaType.OCI_LAYER_ZSTD, old, 10, 0, null)
                .applyTo(before);
        assertEquals(before, kept, "the same blob keeps its annotations");
    }
}
