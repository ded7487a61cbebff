package dev.recast.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks a zstd:chunked blob the way containers/storage reads one, independently of the code that wrote it: the
 * annotations' TOC position and checksum against the bytes, the footer, every TOC entry against the tar (metadata, and
 * for each file the frame at {@code [offset, endOffset)} decompressed on its own and compared with the file's bytes),
 * and the whole blob decompressed (by zstd-jni and by the zstd command) against the tar.
 */
public final class ZstdChunkedBlob {
    public static final String CHECKSUM = "io.github.containers.zstd-chunked.manifest-checksum";
    public static final String POSITION = "io.github.containers.zstd-chunked.manifest-position";
    public static final String LEGACY_CHECKSUM = "io.containers.zstd-chunked.manifest-checksum";
    public static final String LEGACY_POSITION = "io.containers.zstd-chunked.manifest-position";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SKIPPABLE_MAGIC = 0x184D2A50;

    private ZstdChunkedBlob() {
    }

    /** Checks {@code blob} against {@code tar} and returns the TOC's entries. */
    public static List<JsonNode> verify(byte[] blob, Map<String, String> annotations, byte[] tar, Path scratch) {
        assertEquals(annotations.get(CHECKSUM), annotations.get(LEGACY_CHECKSUM), "both checksum annotations");
        assertEquals(annotations.get(POSITION), annotations.get(LEGACY_POSITION), "both position annotations");
        long[] position = Arrays.stream(annotations.get(POSITION).split(":")).mapToLong(Long::parseLong).toArray();
        assertEquals(4, position.length);
        assertEquals(1, position[3], "TOC type CRFS");
        int tocOffset = Math.toIntExact(position[0]);
        int tocLength = Math.toIntExact(position[1]);
        byte[] toc = Arrays.copyOfRange(blob, tocOffset, tocOffset + tocLength);
        assertEquals(annotations.get(CHECKSUM), sha256(toc), "manifest-checksum is the compressed TOC's digest");
        ByteBuffer le = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(SKIPPABLE_MAGIC, le.getInt(tocOffset - 8), "TOC in a skippable frame");
        assertEquals(tocLength, le.getInt(tocOffset - 4));
        byte[] tocJson = Zstd.decompress(toc, Math.toIntExact(position[2]));
        assertEquals(position[2], tocJson.length, "uncompressed TOC length");

        int footerAt = blob.length - 64;
        assertEquals(tocOffset + tocLength + 8, footerAt, "footer frame right after the TOC frame, at the end");
        assertEquals(SKIPPABLE_MAGIC, le.getInt(footerAt - 8));
        assertEquals(64, le.getInt(footerAt - 4));
        assertEquals(tocOffset, le.getLong(footerAt));
        assertEquals(tocLength, le.getLong(footerAt + 8));
        assertEquals(position[2], le.getLong(footerAt + 16));
        assertEquals(1, le.getLong(footerAt + 24));
        assertEquals("GNUlInUx", new String(blob, footerAt + 56, 8, java.nio.charset.StandardCharsets.US_ASCII));

        assertArrayEquals(tar, decompressed(blob), "zstd-jni decompresses the blob to the tar");
        try {
            Path file = Files.write(scratch.resolve("chunked-" + System.nanoTime() + ".zst"), blob);
            assertEquals(sha256(tar), ExternalTools.decompressedSha256(file), "zstd -dc gives the tar");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }

        JsonNode parsed;
        try {
            parsed = JSON.readTree(tocJson);
        } catch (IOException e) {
            throw new AssertionError("TOC is not JSON", e);
        }
        assertEquals(1, parsed.path("version").asInt());
        List<JsonNode> entries = new ArrayList<>();
        parsed.path("entries").forEach(entries::add);
        compareWithTar(blob, entries, tar);
        return entries;
    }

    private static void compareWithTar(byte[] blob, List<JsonNode> entries, byte[] tar) {
        long lastEnd = 0;
        int i = 0;
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            TarArchiveEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                assertTrue(i < entries.size(), "TOC has an entry for " + entry.getName());
                JsonNode e = entries.get(i++);
                String what = "TOC entry " + entry.getName();
                assertEquals(entry.getName(), e.path("name").asText(), what);
                assertEquals(type(entry), e.path("type").asText(), what);
                assertEquals(entry.getMode(), e.path("mode").asLong(), what + " mode");
                assertEquals(entry.getLongUserId(), e.path("uid").asLong(), what + " uid");
                assertEquals(entry.getLongGroupId(), e.path("gid").asLong(), what + " gid");
                assertEquals(entry.getLinkName(), e.path("linkName").asText(""), what + " linkName");
                assertEquals(entry.getModTime().toInstant().getEpochSecond(),
                        java.time.Instant.parse(e.path("modtime").asText()).getEpochSecond(), what + " modtime");
                byte[] content = in.readAllBytes();
                boolean regular = type(entry).equals("reg");
                if (regular) {
                    assertEquals(entry.getSize(), e.path("size").asLong(), what + " size");
                }
                if (regular && content.length > 0) {
                    long offset = e.path("offset").asLong();
                    long end = e.path("endOffset").asLong();
                    assertTrue(offset >= lastEnd && end > offset, what + " frame [" + offset + "," + end + ")");
                    lastEnd = end;
                    assertEquals(sha256(content), e.path("digest").asText(), what + " digest");
                    byte[] frame = Arrays.copyOfRange(blob, Math.toIntExact(offset), Math.toIntExact(end));
                    assertArrayEquals(content, decompressed(frame), what + ": its frame alone holds its content");
                } else {
                    assertFalse(e.has("digest") || e.has("offset"), what + " has no content frame");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertEquals(entries.size(), i, "one TOC entry per tar entry");
    }

    private static String type(TarArchiveEntry entry) {
        if (entry.isDirectory()) {
            return "dir";
        }
        if (entry.isSymbolicLink()) {
            return "symlink";
        }
        if (entry.isLink()) {
            return "hardlink";
        }
        if (entry.isCharacterDevice()) {
            return "char";
        }
        if (entry.isBlockDevice()) {
            return "block";
        }
        if (entry.isFIFO()) {
            return "fifo";
        }
        return "reg";
    }

    public static byte[] decompressed(byte[] zstd) {
        try (InputStream in = new ZstdInputStream(new ByteArrayInputStream(zstd))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String sha256(byte[] data) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
