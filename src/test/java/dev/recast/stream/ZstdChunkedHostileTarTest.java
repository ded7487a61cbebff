package dev.recast.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.Zstd;
import dev.recast.ErrorKind;
import dev.recast.RecastException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tars built to hurt the zstd:chunked writer: memory, CPU, or a table of contents that lies about the tar. */
class ZstdChunkedHostileTarTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The only TOC entry of the chunked blob {@code tar} becomes. */
    private static JsonNode onlyEntry(byte[] tar) throws IOException {
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        ZstdChunkedWriter writer = new ZstdChunkedWriter(blob, 3);
        try (writer) {
            writer.write(tar, 0, tar.length);
        }
        long[] position = Arrays.stream(writer.annotations().get(ZstdChunkedWriter.MANIFEST_POSITION).split(":"))
                .mapToLong(Long::parseLong).toArray();
        byte[] compressed = Arrays.copyOfRange(blob.toByteArray(), (int) position[0], (int) (position[0] + position[1]));
        JsonNode entries = JSON.readTree(Zstd.decompress(compressed, (int) position[2])).path("entries");
        assertEquals(1, entries.size(), entries.toString());
        return entries.get(0);
    }

    private static RecastException refused(byte[] tar) {
        return assertThrows(RecastException.class, () -> {
            try (ZstdChunkedWriter writer = new ZstdChunkedWriter(OutputStream.nullOutputStream(), 3)) {
                writer.write(tar, 0, tar.length);
            }
        });
    }

    @Test
    void aRunOfExtendedHeadersHoldsAtMostOneMebibyte() throws IOException {
        String value = "v".repeat((1 << 20) - 64);
        try (ZstdChunkedWriter writer = new ZstdChunkedWriter(OutputStream.nullOutputStream(), 1)) {
            for (int i = 0; i < 200; i++) {
                byte[] header = new RawTar().pax('x', RawTar.record("key" + i, value)).build();
                writer.write(header, 0, header.length - 1024); // without the end-of-archive blocks
                assertTrue(writer.pendingExtensionBytes() <= TarExtensions.MAX_PENDING,
                        "after header " + i + ": " + writer.pendingExtensionBytes() + " bytes pending");
                assertTrue(writer.pendingExtensionBytes() > 0, "the last header is pending");
            }
            byte[] file = new RawTar().file("f", "abc").build();
            writer.write(file, 0, file.length);
            assertEquals(0, writer.pendingExtensionBytes(), "the file used the pending header up");
        }
    }

    @Test
    void aLaterExtendedHeaderReplacesThePendingOneAsInGo() throws IOException {
        JsonNode entry = onlyEntry(new RawTar().pax('x', RawTar.record("path", "renamed"), RawTar.record("uid", "7"))
                .pax('x', RawTar.record("gid", "9")).file("f", "abc").build());
        assertEquals("f", entry.path("name").asText(), "the first header's path is gone");
        assertEquals(0, entry.path("uid").asLong());
        assertEquals(9, entry.path("gid").asLong(), "the last header applies");

        JsonNode afterGlobal = onlyEntry(new RawTar().pax('x', RawTar.record("path", "renamed")).gnuLong('L', 300)
                .pax('g', RawTar.record("comment", "global")).file("g", "abc").build());
        assertEquals("g", afterGlobal.path("name").asText(), "a global header drops what is pending, as Go does");
    }

    @Test
    void extendedHeadersPendingTogetherPastOneMebibyteAreRefused() {
        byte[] tar = new RawTar().pax('x', RawTar.record("comment", "c".repeat(700 << 10)))
                .gnuLong('L', 400 << 10).file("f", "abc").build();
        RecastException e = refused(tar);
        assertEquals(ErrorKind.INVALID_IMAGE, e.kind());
        assertTrue(e.getMessage().contains("larger than 1 MiB"), e.getMessage());
    }

    @Test
    @Timeout(10) // a hang guard: an exponent used to be expanded digit by digit
    void aPaxMtimeWithAnExponentIsRefusedAtOnce() {
        for (String mtime : new String[]{"1e-40000000", "1E9", "0x10", "1.5.5", "", "+-1"}) {
            RecastException e = refused(new RawTar().pax('x', RawTar.record("mtime", mtime)).file("f", "a").build());
            assertEquals(ErrorKind.INVALID_IMAGE, e.kind(), mtime);
            assertTrue(e.getMessage().contains("byte 1024"), "names the entry's offset: " + e.getMessage());
        }
    }

    @Test
    void mtimesOutsideWhatATocCanHoldAreInvalidTarsNotIoErrors() {
        RecastException pax = refused(new RawTar().pax('x', RawTar.record("mtime", "99999999999999999"))
                .file("f", "a").build());
        assertEquals(ErrorKind.INVALID_IMAGE, pax.kind());
        for (String mtime : new String[]{"99999999999999999999", "-9223372036854775808.5"}) {
            RecastException e = refused(new RawTar().pax('x', RawTar.record("mtime", mtime)).file("f", "a").build());
            assertEquals(ErrorKind.INVALID_IMAGE, e.kind(), mtime);
        }
        RecastException base256 = refused(new RawTar().file("before", "x").fileWithBase256Mtime("f", 1L << 60).build());
        assertEquals(ErrorKind.INVALID_IMAGE, base256.kind());
        assertTrue(base256.getMessage().contains("byte 1024"), "names the entry's offset: " + base256.getMessage());
    }

    @Test
    void paxMtimesAreReadAsGoReadsThem() throws IOException {
        assertEquals("1969-12-31T23:59:58.500Z", onlyEntry(new RawTar()
                .pax('x', RawTar.record("mtime", "-1.5")).file("f", "a").build()).path("modtime").asText());
        assertEquals("2023-11-14T22:13:20.123456789Z", onlyEntry(new RawTar()
                .pax('x', RawTar.record("mtime", "1700000000.1234567891234")).file("f", "a").build())
                .path("modtime").asText(), "fraction cut to nanoseconds");
    }

    @Test
    void negativeOrOverflowingSizesAndIdsAreRefused() {
        String[][] records = {{"size", "-1024"}, {"uid", "-5"}, {"gid", "-1"}, {"size", "9223372036854775808"}};
        for (String[] bad : records) {
            RecastException e = refused(new RawTar().pax('x', RawTar.record(bad[0], bad[1])).file("f", "").build());
            assertEquals(ErrorKind.INVALID_IMAGE, e.kind(), bad[0] + "=" + bad[1]);
            assertTrue(e.getMessage().contains("pax record " + bad[0]), e.getMessage());
        }
    }
}
