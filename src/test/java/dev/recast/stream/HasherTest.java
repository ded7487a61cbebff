package dev.recast.stream;

import dev.recast.model.Digest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HasherTest {
    private static Supplier<Hasher> openssl;

    @BeforeAll
    static void loadOpenSsl() {
        openssl = HasherChoice.openssl("libcrypto.so.3");
    }

    private static byte[] inPieces(Hasher hasher, byte[] data, int piece) {
        for (int at = 0; at < data.length; at += piece) {
            hasher.update(data, at, Math.min(piece, data.length - at));
        }
        return hasher.finish();
    }

    @Test
    void openSslIsTheSha256ThisProcessChose() {
        assertEquals("openssl", HasherChoice.chosen(), "libssl3 is installed here (.ci/run): OpenSSL must be chosen");
    }

    @Test
    void aKnownVector() {
        byte[] abc = "abc".getBytes();
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                HexFormat.of().formatHex(inPieces(openssl.get(), abc, 3)));
    }

    @Test
    void openSslAndTheJdkAgreeWhateverThePieces() {
        byte[] data = new byte[3 << 20];
        new Random(17).nextBytes(data);
        byte[] expected = Digest.newMessageDigest("sha256").digest(data);
        for (int piece : new int[]{1, 7, 63, 64, 65, 4093, 1 << 18, data.length}) {
            byte[] small = piece < 64 ? Arrays.copyOf(data, 70_000) : data;
            byte[] want = piece < 64 ? Digest.newMessageDigest("sha256").digest(small) : expected;
            assertArrayEquals(want, inPieces(openssl.get(), small, piece), "pieces of " + piece);
        }
        assertArrayEquals(Digest.newMessageDigest("sha256").digest(new byte[0]), openssl.get().finish());
    }

    @Test
    void aFinishedHashGivesTheSameHashAgainAndTakesNoMoreBytes() {
        for (Hasher hasher : List.of(openssl.get(), Hasher.of("sha512"))) {
            hasher.update(new byte[10], 2, 5);
            byte[] first = hasher.finish();
            assertArrayEquals(first, hasher.finish());
            assertThrows(IllegalStateException.class, () -> hasher.update(new byte[1], 0, 1));
        }
    }

    @Test
    void outOfBoundsPiecesAreRefused() {
        Hasher hasher = openssl.get();
        assertThrows(IndexOutOfBoundsException.class, () -> hasher.update(new byte[10], 8, 5));
        assertThrows(IndexOutOfBoundsException.class, () -> hasher.update(new byte[10], 2, -1));
        assertThrows(IndexOutOfBoundsException.class, () -> hasher.update(new byte[10], Integer.MAX_VALUE, 2));
    }

    @Test
    void otherAlgorithmsAreTheJdks() {
        byte[] data = "layer".getBytes();
        Hasher sha512 = Hasher.of("sha512");
        sha512.update(data, 0, data.length);
        assertArrayEquals(Digest.newMessageDigest("sha512").digest(data), sha512.finish());
    }

    @Test
    void aMissingLibraryIsRefusedWithItsReason() {
        UnsupportedOperationException refused = assertThrows(UnsupportedOperationException.class,
                () -> HasherChoice.openssl("libcrypto-absent.so.3"));
        assertTrue(refused.getMessage().contains("libcrypto-absent.so.3"), refused.getMessage());
    }
}
