package dev.recast.model;

import dev.recast.ErrorKind;
import dev.recast.RecastException;

import java.util.Locale;

/**
 * How a layer tar is compressed. {@code ZSTD_CHUNKED} is an output form only: zstd with every file in frames of its own
 * and a table of contents (containers/storage's zstd:chunked); its blobs are zstd to every reader and to {@link #detect}.
 */
public enum Compression {
    NONE, GZIP, ZSTD, ZSTD_CHUNKED;

    /** The compression a stream starts with, by its magic bytes (media types sometimes lie). */
    public static Compression detect(byte[] head, int length) {
        if (length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            return GZIP;
        }
        if (length >= 4 && (head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5
                && (head[2] & 0xff) == 0x2f && (head[3] & 0xff) == 0xfd) {
            return ZSTD;
        }
        return NONE;
    }

    public static Compression parse(String text) {
        if (text != null && text.trim().equalsIgnoreCase("zstd:chunked")) {
            return ZSTD_CHUNKED;
        }
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new RecastException(ErrorKind.BAD_REQUEST,
                    "unknown compression '" + text + "': expected zstd, gzip, none or zstd:chunked");
        }
    }

    public String label() {
        return this == ZSTD_CHUNKED ? "zstd:chunked" : name().toLowerCase(Locale.ROOT);
    }
}
