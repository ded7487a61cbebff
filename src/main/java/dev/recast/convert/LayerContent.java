package dev.recast.convert;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.model.Compression;
import dev.recast.model.Descriptor;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What a layer's bytes really are, told by their first 512 bytes (gzip and zstd by their magic, a tar by its header):
 * media types sometimes lie, and a layer is never written under a type its bytes contradict.
 */
final class LayerContent {
    /** One tar header block: enough to tell a tar (and any magic) apart. */
    static final int HEAD = 512;
    private static final byte[] USTAR = "ustar".getBytes(StandardCharsets.US_ASCII);

    private LayerContent() {
    }

    /**
     * The compression {@code in} really has, read without consuming anything; null when it is neither gzip, zstd
     * nor a tar (an empty stream counts as a tar: its diff_id tells whether it is one).
     */
    static Compression peek(BufferedInputStream in) throws IOException {
        in.mark(HEAD);
        byte[] head = in.readNBytes(HEAD);
        in.reset();
        return of(head);
    }

    /** As {@link #peek}, for a blob only looked at: its first bytes are read, the rest of it never. */
    static Compression head(InputStream blob) throws IOException {
        try (blob) {
            return of(blob.readNBytes(HEAD));
        }
    }

    static Compression of(byte[] head) {
        Compression magic = Compression.detect(head, head.length);
        if (magic != Compression.NONE || head.length == 0 || isTarHeader(head)) {
            return magic;
        }
        return null;
    }

    /** The note a layer's report gets when its media type lies, or null when it tells the truth. */
    static String lie(Compression declared, Compression actual) {
        return declared == actual ? null
                : "media type said " + name(declared) + ", content is " + name(actual);
    }

    /** The error for a layer whose content no layer type describes: it cannot be converted, nor kept. */
    static RecastException unknown(Descriptor layer, String image) {
        return new RecastException(ErrorKind.INVALID_IMAGE, "layer content is neither gzip, zstd nor a tar (its media "
                + "type says " + layer.mediaType() + "): it cannot be converted", image, layer.digest().toString(),
                null);
    }

    private static String name(Compression compression) {
        return compression == Compression.NONE ? "plain tar" : compression.label();
    }

    /** A ustar/GNU header, the zero block that ends an (empty) archive, or an old v7 header with a valid checksum. */
    private static boolean isTarHeader(byte[] head) {
        if (head.length < HEAD) {
            return false;
        }
        if (Arrays.equals(head, 257, 262, USTAR, 0, USTAR.length)) {
            return true;
        }
        long sum = 0;
        boolean zero = true;
        for (int i = 0; i < HEAD; i++) {
            zero &= head[i] == 0;
            sum += i >= 148 && i < 156 ? ' ' : head[i] & 0xff;
        }
        return zero || sum == octal(head, 148, 8);
    }

    private static long octal(byte[] bytes, int offset, int length) {
        long value = 0;
        boolean digits = false;
        for (int i = offset; i < offset + length; i++) {
            int b = bytes[i];
            if (b >= '0' && b <= '7') {
                value = value * 8 + (b - '0');
                digits = true;
            } else if (digits || (b != ' ' && b != 0)) {
                break;
            }
        }
        return digits ? value : -1;
    }
}
