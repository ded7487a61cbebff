package dev.recast.stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.convert.LayerRecompressor;
import dev.recast.model.Compression;
import dev.recast.testing.LayerTar;
import dev.recast.testing.ZstdChunkedBlob;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ZstdChunkedWriterTest {
    @TempDir
    Path tmp;

    private record Written(byte[] blob, Map<String, String> annotations) {
    }

    private static Written chunked(byte[] tar, int writeSize) throws IOException {
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        ZstdChunkedWriter writer = new ZstdChunkedWriter(blob, 3);
        try (writer) {
            for (int at = 0; at < tar.length; at += writeSize) {
                writer.write(tar, at, Math.min(writeSize, tar.length - at));
            }
        }
        return new Written(blob.toByteArray(), writer.annotations());
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** A layer with every kind of entry a container image has, small and large files, whiteouts and links. */
    private static byte[] layer() {
        return new LayerTar().dir("bin").file("bin/sh", random(3 << 20, 1), 0755)
                .file("bin/su", random(5000, 2), 04755)
                .dir("etc").file("etc/empty", new byte[0], 0644).file("etc/zeros", new byte[300_000], 0600)
                .file("etc/os-release", "ID=test\n").symlink("etc/localtime", "/usr/share/zoneinfo/UTC")
                .hardlink("bin/sh-again", "bin/sh").whiteout("etc/gone").opaque("var")
                .file("usr/share/" + "very-long-directory-name/".repeat(8) + "file.txt", "long name\n")
                .symlink("usr/link-with-a-long-target", "/opt/" + "x".repeat(200))
                .build();
    }

    @Test
    void everyFileIsInItsOwnFrameAndTheTocMatchesTheTar() throws IOException {
        byte[] tar = layer();
        Written written = chunked(tar, 1 << 16);

        List<JsonNode> toc = ZstdChunkedBlob.verify(written.blob(), written.annotations(), tar, tmp);

        assertEquals(13, toc.size());
        JsonNode sh = toc.get(1);
        assertEquals("bin/sh", sh.path("name").asText());
        assertEquals(3 << 20, sh.path("size").asLong());
        JsonNode longName = toc.stream().filter(e -> e.path("name").asText().endsWith("file.txt")).findFirst().orElseThrow();
        assertTrue(longName.path("name").asText().length() > 200, "pax path applied");
        assertEquals("hardlink", toc.get(8).path("type").asText());
        assertEquals("bin/sh", toc.get(8).path("linkName").asText());
        assertEquals(04755, toc.get(2).path("mode").asLong() & 07777, "setuid bit kept");
    }

    @Test
    void outputDoesNotDependOnHowTheTarArrives() throws IOException {
        byte[] tar = layer();
        Written bulk = chunked(tar, 1 << 20);
        Written oddPieces = chunked(tar, 511);
        assertArrayEquals(bulk.blob(), oddPieces.blob());
        assertEquals(bulk.annotations(), oddPieces.annotations());
        byte[] small = new LayerTar().dir("d").file("d/a", random(2000, 5), 0644).file("d/b", "b\n").build();
        assertArrayEquals(chunked(small, small.length).blob(), chunked(small, 1).blob(), "byte by byte");
    }

    @Test
    void gnuLongNamesPaxXattrsAndLargeIdsAreRead() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
            out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            TarArchiveEntry gnu = new TarArchiveEntry("gnu/" + "n".repeat(150), TarConstants.LF_NORMAL);
            gnu.setSize(3);
            gnu.setUserId(3_000_000L);
            gnu.setGroupId(4_000_000L);
            gnu.addPaxHeader("SCHILY.xattr.user.note", "hello");
            out.putArchiveEntry(gnu);
            out.write("abc".getBytes(StandardCharsets.UTF_8));
            out.closeArchiveEntry();
        }
        byte[] tar = bytes.toByteArray();
        Written written = chunked(tar, 4096);

        List<JsonNode> toc = ZstdChunkedBlob.verify(written.blob(), written.annotations(), tar, tmp);

        assertEquals(1, toc.size());
        assertEquals(3_000_000L, toc.getFirst().path("uid").asLong());
        assertEquals(3_000_000L, toc.getFirst().path("UID").asLong(), "the spelling podman 4.3 reads");
        assertEquals(4_000_000L, toc.getFirst().path("GID").asLong());
        assertEquals(toc.getFirst().path("modtime"), toc.getFirst().path("ModTime"));
        assertEquals("aGVsbG8=", toc.getFirst().path("xattrs").path("user.note").asText(), "xattr value base64");
    }

    @Test
    void bytesAfterTheEndOfTheArchiveAreKept() throws IOException {
        byte[] tar = new LayerTar().file("a", "a\n").build();
        byte[] padded = Arrays.copyOf(tar, tar.length + 10_240);
        padded[padded.length - 1] = 7;
        Written written = chunked(padded, 1000);
        assertArrayEquals(padded, ZstdChunkedBlob.decompressed(written.blob()));
        assertEquals(1, ZstdChunkedBlob.verify(written.blob(), written.annotations(), padded, tmp).size());
    }

    @Test
    void anEmptyTarHasAnEmptyToc() throws IOException {
        byte[] tar = new byte[1024];
        Written written = chunked(tar, 1024);
        assertEquals(List.of(), ZstdChunkedBlob.verify(written.blob(), written.annotations(), tar, tmp));
    }

    @Test
    void whatIsNotATarIsRefused() throws IOException {
        RecastException notTar = assertThrows(RecastException.class, () -> chunked(random(4096, 3), 4096));
        assertEquals(ErrorKind.INVALID_IMAGE, notTar.kind());
        assertTrue(notTar.getMessage().contains("bad checksum"), notTar.getMessage());
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        ZstdChunkedWriter failed = new ZstdChunkedWriter(sink, 3);
        assertThrows(RecastException.class, () -> failed.write(random(4096, 3), 0, 4096));
        failed.close();
        assertThrows(IllegalStateException.class, failed::annotations, "a failed layer gets no table of contents");

        byte[] tar = new LayerTar().file("big", random(10_000, 4), 0644).build();
        RecastException truncated = assertThrows(RecastException.class, () -> chunked(Arrays.copyOf(tar, 5000), 512));
        assertTrue(truncated.getMessage().contains("ends inside an entry"), truncated.getMessage());
    }

    @Test
    void theRecompressorWritesChunkedLayersAndReadsThemBackToTheSameDiffId() throws IOException {
        byte[] tar = layer();
        LayerRecompressor recompressor = new LayerRecompressor(1L << 30, 1000);
        ByteArrayOutputStream blob = new ByteArrayOutputStream();

        LayerRecompressor.Pass written = recompressor.recompress(new ByteArrayInputStream(tar), Compression.NONE,
                Compression.ZSTD_CHUNKED, 3, blob, Thread.ofPlatform().daemon().factory());
        LayerRecompressor.Pass readBack = recompressor.unpack(new ByteArrayInputStream(blob.toByteArray()),
                Compression.ZSTD, Thread.ofPlatform().daemon().factory());

        assertEquals(ZstdChunkedBlob.sha256(tar), written.diffId().toString());
        assertEquals(written.diffId(), readBack.diffId());
        assertEquals(4, written.annotations().size());
        ZstdChunkedBlob.verify(blob.toByteArray(), written.annotations(), tar, tmp);
        assertEquals(Compression.ZSTD, Compression.detect(blob.toByteArray(), 4), "a chunked blob is zstd to readers");
    }
}
