package dev.recast.stream;

import dev.recast.ErrorKind;
import dev.recast.RecastException;

import java.nio.charset.StandardCharsets;

/**
 * The fields of one 512-byte tar header block (v7, ustar, GNU), before pax or GNU long-name records override them.
 *
 * @param type the type flag, as its ASCII character
 */
record TarHeaderBlock(char type, String name, String linkName, long mode, long uid, long gid, long size,
                      long mtimeSeconds, long devMajor, long devMinor) {
    static final int SIZE = 512;

    static boolean isZeros(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** @param position the block's offset in the tar, for errors */
    static TarHeaderBlock parse(byte[] block, long position) {
        long stored = number(block, 148, 8, position);
        long unsigned = 0;
        long signed = 0; // some old tar writers summed signed bytes; Go's archive/tar accepts both
        for (int i = 0; i < SIZE; i++) {
            unsigned += (i >= 148 && i < 156) ? ' ' : (block[i] & 0xff);
            signed += (i >= 148 && i < 156) ? ' ' : block[i];
        }
        if (stored != unsigned && stored != signed) {
            throw invalid("header at byte " + position + " has a bad checksum: not a tar archive, or a corrupt one");
        }
        String name = text(block, 0, 100);
        boolean posix = block[257] == 'u' && block[258] == 's' && block[259] == 't' && block[260] == 'a'
                && block[261] == 'r' && block[262] == 0;
        String prefix = posix ? text(block, 345, 155) : "";
        if (!prefix.isEmpty()) {
            name = prefix + "/" + name;
        }
        return new TarHeaderBlock((char) (block[156] & 0xff), name, text(block, 157, 100), number(block, 100, 8, position),
                number(block, 108, 8, position), number(block, 116, 8, position), number(block, 124, 12, position),
                number(block, 136, 12, position), number(block, 329, 8, position), number(block, 337, 8, position));
    }

    static RecastException invalid(String detail) {
        return new RecastException(ErrorKind.INVALID_IMAGE, "layer tar cannot be written as zstd:chunked: " + detail);
    }

    private static String text(byte[] block, int from, int length) {
        int end = from;
        while (end < from + length && block[end] != 0) {
            end++;
        }
        return new String(block, from, end - from, StandardCharsets.UTF_8);
    }

    /** Octal (space or NUL padded) or, with the high bit of the first byte set, GNU base-256. */
    private static long number(byte[] block, int from, int length, long position) {
        if ((block[from] & 0x80) != 0) {
            long value = block[from] & 0x7f;
            for (int i = from + 1; i < from + length; i++) {
                if (value >>> 55 != 0) {
                    throw invalid("numeric field at byte " + (position + from) + " is too large");
                }
                value = (value << 8) | (block[i] & 0xff);
            }
            return value;
        }
        long value = 0;
        int i = from;
        while (i < from + length && (block[i] == ' ' || block[i] == 0)) {
            i++;
        }
        for (; i < from + length && block[i] != ' ' && block[i] != 0; i++) {
            int digit = block[i] - '0';
            if (digit < 0 || digit > 7) {
                throw invalid("numeric field at byte " + (position + from) + " is not octal");
            }
            value = (value << 3) | digit;
        }
        return value;
    }
}
