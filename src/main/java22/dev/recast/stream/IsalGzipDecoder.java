package dev.recast.stream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.ZipException;

/**
 * The ISA-L gzip decoder: constructing it loads the library, checks its version and runs a self-test, so that a
 * library that loads but misbehaves is never used. Made by {@link GzipDecoderChoice} (by name: this class is compiled
 * for Java 22).
 */
public final class IsalGzipDecoder implements GzipDecoder {
    /**
     * Three members and four trailing zero bytes: a member with every optional header field (extra, name, comment,
     * header CRC) and dynamic Huffman blocks, an empty member, and a member with the rest of {@link #selfTestText()}.
     */
    private static final byte[] VECTOR = HexFormat.of().parseHex("""
            1f8b081e0000000002030800524304007465737473656c662d746573742e747874006973612d6c002e8eadd24d0e82301445\
            e1b9ab781b30e155f16f37080f442bd5b6a8b87a8c531d9ed94d6e72465fb4ba4a5992f97699edb37c3f981407c92793fbd8\
            d71739c6f01ca40d2f398fd75b92f0b0f8bd7df59ea409dd22fe8d28117144644544d644a424221b22b225223b22b247b031\
            6411b38aa05544ad226c1571ab085c45e42a425711bb0eb1eb7eecce35fd8711dc0500001f8b080000000000020303000000\
            0000000000001f8b0800000000000203add2cd1182301884e1bb556c03ce202b287683f8a1684c3409f853bd0e1de8ec6d0f\
            3bcfe9f5e8c313e7f17a4b089345e493c1b5ef170ee1b888d6b5292399eb97d9becb0dde5096bbf9761f87ee827d0c0fff8f\
            4289b296289544a925ca46a26c254aa350584894954491b44b49bb94b44b49bb94b44b49bb94b4cb1fdbfd00def639190a05\
            000000000000""");
    /** The first byte of the last member's CRC-32. */
    private static final int LAST_CRC = VECTOR.length - 4 - 8;

    private final IsalLibrary library;

    /** @throws IllegalStateException saying why ISA-L cannot be used */
    public IsalGzipDecoder(String library) {
        this.library = new IsalLibrary(library);
        selfTest();
    }

    @Override
    public InputStream open(InputStream gzip) {
        return new IsalGzipInputStream(library, gzip);
    }

    @Override
    public String name() {
        return "isal";
    }

    @Override
    public String toString() {
        return "ISA-L (" + library.file() + ")";
    }

    /** Decodes the vector whole and one byte per read (every header and trailer split), then with a wrong CRC-32. */
    private void selfTest() {
        byte[] expected = selfTestText();
        try {
            for (int chunk : new int[]{VECTOR.length, 1}) {
                byte[] decoded;
                try (InputStream decoding = open(new ChunkedInput(VECTOR, chunk))) {
                    decoded = decoding.readAllBytes();
                }
                if (!Arrays.equals(decoded, expected)) {
                    throw new IllegalStateException(library.file() + " fails the self-test: wrong output reading "
                            + chunk + " byte(s) at a time");
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(library.file() + " fails the self-test: " + e.getMessage(), e);
        }
        byte[] corrupt = VECTOR.clone();
        corrupt[LAST_CRC] ^= 1;
        try (InputStream decoding = open(new ByteArrayInputStream(corrupt))) {
            decoding.readAllBytes();
            throw new IllegalStateException(library.file() + " fails the self-test: a wrong CRC-32 went unnoticed");
        } catch (ZipException expectedFailure) {
            // the trailer is checked
        } catch (IOException e) {
            throw new IllegalStateException(library.file() + " fails the self-test: " + e.getMessage(), e);
        }
    }

    private static byte[] selfTestText() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            text.append("recast self-test line ").append(i).append(": the quick brown fox jumps over the lazy dog\n");
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** A byte array read at most {@code chunk} bytes at a time, as a network stream might deliver it. */
    private static final class ChunkedInput extends ByteArrayInputStream {
        private final int chunk;

        ChunkedInput(byte[] bytes, int chunk) {
            super(bytes);
            this.chunk = chunk;
        }

        @Override
        public synchronized int read(byte[] buffer, int offset, int length) {
            return super.read(buffer, offset, Math.min(length, chunk));
        }
    }
}
