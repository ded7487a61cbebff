package dev.recast.stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recast.RecastException;
import dev.recast.testing.ZstdChunkedBlob;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A table of contents past 1 MiB compressed waits in a temporary file, not on the heap, and the file goes away. */
class ChunkedTocSpillTest {
    private static final int ENTRIES = 1000;

    @TempDir
    Path spill;
    @TempDir
    Path scratch;

    /** Directories with 2 KiB of random xattr each: a TOC of some 2.7 MiB that compresses to over 2 MiB. */
    private static byte[] layerWithABigToc() throws IOException {
        Random random = new Random(5);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            for (int i = 0; i < ENTRIES; i++) {
                TarArchiveEntry dir = new TarArchiveEntry("d" + i + "/");
                byte[] noise = new byte[2048];
                random.nextBytes(noise);
                dir.addPaxHeader("SCHILY.xattr.user.noise", Base64.getEncoder().encodeToString(noise));
                out.putArchiveEntry(dir);
                out.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private List<Path> spilled() throws IOException {
        try (Stream<Path> files = Files.list(spill)) {
            return files.toList();
        }
    }

    @Test
    void aLargeTocIsKeptInAFileThatIsGoneAfterClose() throws IOException {
        byte[] tar = layerWithABigToc();
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        ZstdChunkedWriter writer = new ZstdChunkedWriter(blob, 3, spill);
        try (writer) {
            writer.write(tar, 0, tar.length);
            List<Path> files = spilled();
            assertEquals(1, files.size(), "the compressed TOC went to a file");
            assertTrue(Files.size(files.getFirst()) > ChunkedToc.IN_MEMORY / 2, "the file holds the TOC");
        }
        assertEquals(List.of(), spilled(), "closing deletes the file");

        long tocLength = Long.parseLong(writer.annotations().get(ZstdChunkedWriter.MANIFEST_POSITION).split(":")[1]);
        assertTrue(tocLength > ChunkedToc.IN_MEMORY, "TOC of " + tocLength + " bytes: past the in-memory part");
        List<JsonNode> toc = ZstdChunkedBlob.verify(blob.toByteArray(), writer.annotations(), tar, scratch);
        assertEquals(ENTRIES, toc.size());
        // the xattr's value is 2,732 characters of base64, which the TOC encodes in base64 again
        assertEquals(3644, toc.getLast().path("xattrs").path("user.noise").asText().length(), "xattr kept whole");
    }

    @Test
    void aFailedLayerLeavesNoFileEither() throws IOException {
        byte[] tar = layerWithABigToc();
        ZstdChunkedWriter writer = new ZstdChunkedWriter(new ByteArrayOutputStream(), 3, spill);
        writer.write(tar, 0, tar.length - 1024); // all entries, not the end of the archive
        assertEquals(1, spilled().size());
        byte[] garbage = new byte[512];
        garbage[0] = 1;
        assertThrows(RecastException.class, () -> writer.write(garbage, 0, garbage.length));
        writer.close();
        assertEquals(List.of(), spilled());
    }
}
