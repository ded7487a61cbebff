package dev.recast.stream;

import dev.recast.testing.ExternalTools;
import dev.recast.testing.LabRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipException;

import static dev.recast.stream.GzipStreams.FCOMMENT;
import static dev.recast.stream.GzipStreams.FEXTRA;
import static dev.recast.stream.GzipStreams.FHCRC;
import static dev.recast.stream.GzipStreams.FNAME;
import static dev.recast.stream.GzipStreams.FTEXT;
import static dev.recast.stream.GzipStreams.concat;
import static dev.recast.stream.GzipStreams.data;
import static dev.recast.stream.GzipStreams.decode;
import static dev.recast.stream.GzipStreams.member;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ISA-L decoder against the JDK's, byte for byte. Every test uses the ISA-L decoder itself (loading it fails the
 * test, so a library that silently does not load cannot make these pass with the JDK's decoder in its place).
 */
class IsalGzipDecoderTest {
    private static final int[] CHUNKS = {1, 2, 3, 7, 15, 4093, 65537, Integer.MAX_VALUE};
    private static final int ALL_HEADER_FIELDS = FTEXT | FHCRC | FEXTRA | FNAME | FCOMMENT;
    private static final GzipDecoder JDK = JdkGzipDecoder.INSTANCE;
    private static GzipDecoder isal;

    @TempDir
    Path tmp;

    @BeforeAll
    static void loadIsal() {
        isal = GzipDecoderChoice.isal("libisal.so.2");
        assertEquals("isal", isal.name());
    }

    @Test
    void isalIsTheDecoderThisProcessChose() {
        assertEquals("isal", GzipDecoder.chosen().name(), "libisal2 is installed here (.ci/run): ISA-L must be chosen");
    }

    @Test
    void aMissingLibraryIsRefusedWithItsReason() {
        UnsupportedOperationException refused = assertThrows(UnsupportedOperationException.class,
                () -> GzipDecoderChoice.isal("libisal-absent.so.2"));
        assertTrue(refused.getMessage().contains("libisal-absent.so.2"), refused.getMessage());
    }

    @Test
    void fixtureLayersDecodeIdentically() throws IOException {
        Path lab = tmp.resolve("lab");
        ExternalTools.check("python3", LabRegistry.labScripts().resolve("fixtures.py").toString(), lab.toString());
        List<Path> gzipBlobs = new ArrayList<>();
        for (Path root : List.of(lab, Path.of("samples/hello"))) {
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(Files::isRegularFile).filter(f -> f.getParent().getFileName().toString().equals("sha256"))
                        .filter(IsalGzipDecoderTest::startsWithGzipMagic).forEach(gzipBlobs::add);
            }
        }
        assertTrue(gzipBlobs.size() >= 6, "gzip layers found: " + gzipBlobs);
        for (Path blob : gzipBlobs) {
            byte[] gzip = Files.readAllBytes(blob);
            byte[] expected = decode(JDK, gzip, Integer.MAX_VALUE);
            for (int chunk : CHUNKS) {
                assertArrayEquals(expected, decode(isal, gzip, chunk), blob + " read " + chunk + " bytes at a time");
            }
        }
    }

    @Test
    void multiMemberStreamsWithEmptyMembersAndEveryHeaderField() throws IOException {
        byte[] gzip = concat(member(data(70_000, 1), 6, ALL_HEADER_FIELDS), member(new byte[0], 6, 0),
                member(data(50_000, 2), 0, FNAME), member(new byte[0], 9, ALL_HEADER_FIELDS),
                member(data(90_000, 3), 1, FHCRC | FEXTRA), member(new byte[0], 1, 0));
        byte[] expected = concat(data(70_000, 1), data(50_000, 2), data(90_000, 3));
        assertArrayEquals(expected, decode(JDK, gzip, Integer.MAX_VALUE));
        for (int chunk : CHUNKS) {
            assertArrayEquals(expected, decode(isal, gzip, chunk), "read " + chunk + " bytes at a time");
        }
    }

    @Test
    void aLargeStreamInChunksOfOddSizes() throws IOException {
        byte[] gzip = concat(member(data(3_000_000, 4), 6, 0), member(data(1_500_000, 5), 9, FNAME));
        byte[] expected = decode(JDK, gzip, Integer.MAX_VALUE);
        assertEquals(4_500_000, expected.length);
        for (int chunk : new int[]{4093, 65537, Integer.MAX_VALUE}) {
            assertArrayEquals(expected, decode(isal, gzip, chunk), "read " + chunk + " bytes at a time");
        }
    }

    @Test
    void onlyEmptyMembers() throws IOException {
        byte[] gzip = concat(member(new byte[0], 6, 0), member(new byte[0], 6, ALL_HEADER_FIELDS));
        for (int chunk : CHUNKS) {
            assertEquals(0, decode(isal, gzip, chunk).length);
        }
        assertEquals(0, decode(JDK, gzip, Integer.MAX_VALUE).length);
    }

    @Test
    void trailingBytesAfterTheLastMemberAreIgnoredAsTheJdkDoes() throws IOException {
        byte[] members = concat(member(data(20_000, 6), 6, FNAME), member(data(10_000, 7), 6, 0));
        List<byte[]> trailers = List.of(new byte[1024], "not gzip at all\n".getBytes(), new byte[]{0x1f},
                new byte[]{0x1f, 0x00, 0x1f}, new byte[]{(byte) 0x8b, 0x1f});
        for (byte[] trailer : trailers) {
            byte[] gzip = concat(members, trailer);
            byte[] expected = decode(JDK, gzip, Integer.MAX_VALUE);
            assertEquals(30_000, expected.length);
            for (int chunk : CHUNKS) {
                assertArrayEquals(expected, decode(isal, gzip, chunk),
                        Arrays.toString(Arrays.copyOf(trailer, 3)) + "… read " + chunk + " bytes at a time");
            }
        }
    }

    /** Go's gzip reader (docker, containerd) agrees; GZIPInputStream would take these bytes for trailing garbage. */
    @Test
    void bytesAfterAMemberThatStartWithTheMagicMustBeAMember() {
        byte[] members = member(data(5_000, 8), 6, 0);
        byte[] notDeflate = {0x1f, (byte) 0x8b, 7, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3};
        assertThrows(ZipException.class, () -> decode(isal, concat(members, notDeflate), 7));
        assertThrows(EOFException.class, () -> decode(isal, concat(members, new byte[]{0x1f, (byte) 0x8b, 8}), 7));
    }

    @Test
    void readingByteByByteGivesTheSameBytes() throws IOException {
        byte[] gzip = concat(member(data(30_000, 9), 6, ALL_HEADER_FIELDS), member(data(5_000, 10), 6, 0));
        byte[] expected = decode(JDK, gzip, Integer.MAX_VALUE);
        byte[] actual = new byte[expected.length];
        try (InputStream decoded = isal.open(new GzipStreams.ChunkedInputStream(gzip, 3))) {
            for (int i = 0; i < actual.length; i++) {
                int b = decoded.read();
                assertTrue(b >= 0, "ended early at " + i);
                actual[i] = (byte) b;
            }
            assertEquals(-1, decoded.read());
        }
        assertArrayEquals(expected, actual);
    }

    @Test
    void everyTruncationFails() throws IOException {
        byte[] first = member(data(3_000, 11), 6, ALL_HEADER_FIELDS);
        byte[] second = member(data(2_000, 12), 6, FNAME | FHCRC);
        byte[] third = member(new byte[0], 6, FEXTRA);
        byte[] gzip = concat(first, second, third);
        // a cut just after a member, or one byte later (a lone 0x1f is trailing garbage, as for the JDK), is valid
        Set<Integer> validCuts = Set.of(first.length, first.length + 1, first.length + second.length,
                first.length + second.length + 1);
        int cuts = 0;
        for (int cut = 0; cut < gzip.length; cut++) {
            if (validCuts.contains(cut)) {
                continue;
            }
            byte[] truncated = Arrays.copyOf(gzip, cut);
            for (int chunk : new int[]{1, 7, Integer.MAX_VALUE}) {
                int at = cut;
                assertThrows(IOException.class, () -> decode(isal, truncated, chunk), "cut at " + at + ", chunk " + chunk);
            }
            if (cut < first.length) {
                int at = cut;
                assertThrows(IOException.class, () -> decode(JDK, truncated, Integer.MAX_VALUE), "JDK, cut at " + at);
            }
            cuts++;
        }
        assertEquals(gzip.length - validCuts.size(), cuts);
        for (int cut : validCuts) {
            byte[] truncated = Arrays.copyOf(gzip, cut);
            assertArrayEquals(decode(JDK, truncated, Integer.MAX_VALUE), decode(isal, truncated, 1), "cut at " + cut);
        }
    }

    @Test
    void aWrongCrcOrLengthFails() throws IOException {
        byte[] first = member(data(40_000, 13), 6, FNAME);
        byte[] last = member(data(10_000, 14), 6, 0);
        byte[] gzip = concat(first, last);
        assertEquals(50_000, decode(isal, gzip, 7).length);
        for (int trailerByte : new int[]{first.length - 8, first.length - 5, first.length - 4, first.length - 1,
                gzip.length - 8, gzip.length - 4, gzip.length - 1}) {
            byte[] corrupt = gzip.clone();
            corrupt[trailerByte] ^= 0x01;
            for (int chunk : new int[]{1, 7, Integer.MAX_VALUE}) {
                assertThrows(ZipException.class, () -> decode(isal, corrupt, chunk), "byte " + trailerByte + " flipped");
            }
            assertThrows(ZipException.class, () -> decode(JDK, corrupt, Integer.MAX_VALUE), "JDK agrees");
        }
    }

    @Test
    void aWrongHeaderCrcOrCorruptDataFails() {
        byte[] gzip = member(data(10_000, 15), 6, FNAME | FHCRC);
        byte[] badHeaderCrc = gzip.clone();
        badHeaderCrc[20] ^= 0x01; // the header: 10 bytes, "layer.tar\0", then its CRC's two bytes at 20 and 21
        assertThrows(ZipException.class, () -> decode(isal, badHeaderCrc, 3));
        assertThrows(ZipException.class, () -> decode(JDK, badHeaderCrc, Integer.MAX_VALUE));
        byte[] notDeflate = gzip.clone();
        for (int i = 22; i < 40; i++) {
            notDeflate[i] = (byte) 0xff;
        }
        assertThrows(ZipException.class, () -> decode(isal, notDeflate, 7));
        assertThrows(ZipException.class, () -> decode(isal, "plain text, not gzip".getBytes(), 7));
        assertThrows(EOFException.class, () -> decode(isal, new byte[0], 7));
    }

    @Test
    void closingClosesTheSourceAndEndsReading() throws IOException {
        GzipStreams.ChunkedInputStream source = new GzipStreams.ChunkedInputStream(member(data(1_000, 16), 6, 0), 100);
        InputStream decoded = isal.open(source);
        assertEquals(1_000, decoded.readAllBytes().length);
        decoded.close();
        decoded.close();
        assertTrue(source.closed());
        assertThrows(IOException.class, decoded::read);
    }

    private static boolean startsWithGzipMagic(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
