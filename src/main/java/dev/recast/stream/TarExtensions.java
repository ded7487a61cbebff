package dev.recast.stream;

import dev.recast.ErrorKind;
import dev.recast.RecastException;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * The extended headers that come before a tar entry (pax {@code x} records, GNU {@code L}/{@code K} long names) and
 * the table-of-contents entry they make with the entry's own header. Global pax headers ({@code g}) are not applied,
 * as Go's archive/tar (which containers/storage uses) does not apply them either.
 */
final class TarExtensions {
    private static final String XATTR = "SCHILY.xattr.";
    private Map<String, byte[]> pax = new HashMap<>();
    private String longName;
    private String longLink;

    /** Takes in the payload of an extension entry of type {@code type}. */
    void accept(char type, byte[] payload, long position) {
        switch (type) {
            case 'x' -> parsePax(payload, position);
            case 'L' -> longName = text(payload);
            case 'K' -> longLink = text(payload);
            default -> { }
        }
    }

    /** The entry for {@code header} with the pending extensions applied; they are used up. */
    TocEntry entry(TarHeaderBlock header, long position) {
        // as Go's archive/tar: an old-style (NUL type) entry whose name ends in "/" is a directory
        char flag = header.type() == '\0' && header.name().endsWith("/") ? '5' : header.type();
        String type = switch (flag) {
            case '0', '\0', '7' -> "reg";
            case '1' -> "hardlink";
            case '2' -> "symlink";
            case '3' -> "char";
            case '4' -> "block";
            case '5' -> "dir";
            case '6' -> "fifo";
            default -> throw new RecastException(ErrorKind.UNSUPPORTED, "layer tar cannot be written as zstd:chunked: "
                    + "entry at byte " + position + " has type '" + header.type() + "', which zstd:chunked cannot describe");
        };
        if (pax.keySet().stream().anyMatch(k -> k.startsWith("GNU.sparse."))) {
            throw new RecastException(ErrorKind.UNSUPPORTED, "layer tar cannot be written as zstd:chunked: entry at byte "
                    + position + " is a sparse file");
        }
        // GNU long names win over pax records, as in Go's archive/tar
        String name = longName != null ? longName : paxText("path", header.name());
        String link = longLink != null ? longLink : paxText("linkpath", header.linkName());
        Map<String, String> xattrs = new HashMap<>();
        pax.forEach((key, value) -> {
            if (key.startsWith(XATTR)) {
                xattrs.put(key.substring(XATTR.length()), Base64.getEncoder().encodeToString(value));
            }
        });
        TocEntry entry = new TocEntry(type, name, link, header.mode(), paxNumber("size", header.size(), position),
                paxNumber("uid", header.uid(), position), paxNumber("gid", header.gid(), position),
                paxTime(header.mtimeSeconds(), position), header.devMajor(), header.devMinor(), xattrs, null, 0, 0);
        pax = new HashMap<>();
        longName = null;
        longLink = null;
        return entry;
    }

    /** Records {@code "<length> <key>=<value>\n"}; a value may hold any bytes (xattrs), so it is kept as bytes. */
    private void parsePax(byte[] payload, long position) {
        int at = 0;
        while (at < payload.length) {
            int space = at;
            while (space < payload.length && payload[space] != ' ') {
                space++;
            }
            int length;
            try {
                length = Integer.parseInt(new String(payload, at, space - at, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw TarHeaderBlock.invalid("bad pax record length in the header at byte " + position);
            }
            int end = at + length;
            int equals = space + 1;
            while (equals < end && payload[equals] != '=') {
                equals++;
            }
            if (length <= 0 || end > payload.length || equals >= end || payload[end - 1] != '\n') {
                throw TarHeaderBlock.invalid("malformed pax record in the header at byte " + position);
            }
            String key = new String(payload, space + 1, equals - space - 1, StandardCharsets.UTF_8);
            byte[] value = Arrays.copyOfRange(payload, equals + 1, end - 1);
            pax.put(key, value);
            at = end;
        }
    }

    private String paxText(String key, String fallback) {
        byte[] value = pax.get(key);
        return value != null ? new String(value, StandardCharsets.UTF_8) : fallback;
    }

    private long paxNumber(String key, long fallback, long position) {
        byte[] value = pax.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(new String(value, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            throw TarHeaderBlock.invalid("pax record " + key + " of the entry at byte " + position + " is not a number");
        }
    }

    private Instant paxTime(long fallbackSeconds, long position) {
        byte[] value = pax.get("mtime");
        if (value == null) {
            return Instant.ofEpochSecond(fallbackSeconds);
        }
        try {
            BigDecimal seconds = new BigDecimal(new String(value, StandardCharsets.US_ASCII));
            BigDecimal whole = seconds.setScale(0, RoundingMode.FLOOR);
            return Instant.ofEpochSecond(whole.longValueExact(),
                    seconds.subtract(whole).movePointRight(9).intValue());
        } catch (NumberFormatException | ArithmeticException e) {
            throw TarHeaderBlock.invalid("pax mtime of the entry at byte " + position + " is not a time");
        }
    }

    private static String text(byte[] payload) {
        int end = 0;
        while (end < payload.length && payload[end] != 0) {
            end++;
        }
        return new String(payload, 0, end, StandardCharsets.UTF_8);
    }
}
