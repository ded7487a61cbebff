package dev.recast.stream;

import dev.recast.ErrorKind;
import dev.recast.RecastException;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The extended headers that come before a tar entry (pax {@code x} records, GNU {@code L}/{@code K} long names) and
 * the table-of-contents entry they make with the entry's own header. As in Go's archive/tar (which containers/storage
 * uses), a later {@code x}, {@code L} or {@code K} header replaces a pending one of its type, and a global pax header
 * ({@code g}) is an entry of its own that is not applied and drops what is pending. What is pending, with the
 * extension being read, is bounded by {@link #MAX_PENDING} bytes, so a run of extension headers cannot fill memory.
 */
final class TarExtensions {
    static final int MAX_PENDING = 1 << 20;
    private static final String XATTR = "SCHILY.xattr.";
    /** Go's parsePAXTime: decimal seconds, an optional fraction; no exponent, which could cost minutes to expand. */
    private static final Pattern PAX_TIME = Pattern.compile("(-?\\d{1,19})(?:\\.(\\d+))?");
    private Map<String, byte[]> pax = Map.of();
    private String longName;
    private String longLink;
    private long paxBytes;
    private long longNameBytes;
    private long longLinkBytes;
    private long reading;

    /**
     * Reserves room for the payload of an extension header of type {@code type} and {@code size} bytes, about to be
     * read: the pending extension it replaces is dropped now, and the total must stay within {@link #MAX_PENDING}.
     */
    void admit(char type, long size, long position) {
        switch (type) {
            case 'x' -> {
                pax = Map.of();
                paxBytes = 0;
            }
            case 'L' -> {
                longName = null;
                longNameBytes = 0;
            }
            case 'K' -> {
                longLink = null;
                longLinkBytes = 0;
            }
            default -> clear();
        }
        if (size > MAX_PENDING - pendingBytes()) {
            throw TarHeaderBlock.invalid("extended header at byte " + position + " makes the extensions pending for "
                    + "the next entry larger than 1 MiB");
        }
        reading = size;
    }

    /** Takes in the payload of an extension entry of type {@code type}, admitted before. */
    void accept(char type, byte[] payload, long position) {
        reading = 0;
        switch (type) {
            case 'x' -> {
                pax = parsePax(payload, position);
                paxBytes = payload.length;
            }
            case 'L' -> {
                longName = text(payload);
                longNameBytes = payload.length;
            }
            case 'K' -> {
                longLink = text(payload);
                longLinkBytes = payload.length;
            }
            default -> { }
        }
    }

    /** Bytes held for the next entry: the pending extensions and the one being read. */
    long pendingBytes() {
        return paxBytes + longNameBytes + longLinkBytes + reading;
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
        clear();
        return entry;
    }

    private void clear() {
        pax = Map.of();
        longName = null;
        longLink = null;
        paxBytes = 0;
        longNameBytes = 0;
        longLinkBytes = 0;
        reading = 0;
    }

    /** Records {@code "<length> <key>=<value>\n"}; a value may hold any bytes (xattrs), so it is kept as bytes. */
    private static Map<String, byte[]> parsePax(byte[] payload, long position) {
        Map<String, byte[]> records = new HashMap<>();
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
            records.put(key, value);
            at = end;
        }
        return records;
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
        long number;
        try {
            number = Long.parseLong(new String(value, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            throw TarHeaderBlock.invalid("pax record " + key + " of the entry at byte " + position + " is not a number");
        }
        if (number < 0) {
            // a negative size would make the content be read as headers (Go's archive/tar: ErrHeader)
            throw TarHeaderBlock.invalid("pax record " + key + " of the entry at byte " + position + " is negative");
        }
        return number;
    }

    private Instant paxTime(long fallbackSeconds, long position) {
        byte[] value = pax.get("mtime");
        try {
            if (value == null) {
                return Instant.ofEpochSecond(fallbackSeconds);
            }
            var time = PAX_TIME.matcher(new String(value, StandardCharsets.US_ASCII));
            if (!time.matches()) {
                throw TarHeaderBlock.invalid("pax mtime of the entry at byte " + position + " is not a time");
            }
            long seconds = Long.parseLong(time.group(1));
            String fraction = time.group(2) == null ? "" : time.group(2);
            long nanos = Long.parseLong((fraction + "000000000").substring(0, 9));
            return Instant.ofEpochSecond(seconds, time.group(1).startsWith("-") ? -nanos : nanos);
        } catch (NumberFormatException | DateTimeException | ArithmeticException e) {
            throw TarHeaderBlock.invalid("mtime of the entry at byte " + position + " is not a time zstd:chunked can "
                    + "record");
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
