package dev.recast.stream;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Tar bytes written field by field, for archives no tar library writes: runs of extended headers, pax records with
 * hostile values, base-256 fields.
 */
final class RawTar {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    /** A pax extended header ({@code x} or {@code g}) holding {@code records}, each from {@link #record}. */
    RawTar pax(char type, byte[]... records) {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        for (byte[] record : records) {
            payload.writeBytes(record);
        }
        return entry(header("PaxHeaders/x", type, payload.size()), payload.toByteArray());
    }

    /** A GNU long name ({@code L}) or long link ({@code K}) of {@code length} bytes. */
    RawTar gnuLong(char type, int length) {
        byte[] name = new byte[length];
        Arrays.fill(name, (byte) 'n');
        return entry(header("././@LongLink", type, length), name);
    }

    RawTar file(String name, String content) {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        return entry(header(name, '0', data.length), data);
    }

    /** A file header whose mtime field is GNU base-256 {@code mtime}. */
    RawTar fileWithBase256Mtime(String name, long mtime) {
        byte[] header = header(name, '0', 0);
        header[136] = (byte) 0x80;
        for (int i = 0; i < 8; i++) {
            header[147 - i] = (byte) (mtime >>> (8 * i));
        }
        for (int i = 137; i < 140; i++) {
            header[i] = 0;
        }
        return entry(checksummed(header), new byte[0]);
    }

    /** Ends the archive with its two zero blocks. */
    byte[] build() {
        bytes.writeBytes(new byte[1024]);
        return bytes.toByteArray();
    }

    /** One pax record {@code "<length> <key>=<value>\n"}, its length counting its own digits. */
    static byte[] record(String key, String value) {
        int rest = 1 + key.length() + 1 + value.length() + 1;
        int length = rest + String.valueOf(rest).length();
        if (String.valueOf(length).length() != String.valueOf(rest).length()) {
            length++;
        }
        return (length + " " + key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8);
    }

    static byte[] header(String name, char type, long size) {
        byte[] block = new byte[TarHeaderBlock.SIZE];
        put(block, 0, name);
        put(block, 100, "0000644");
        put(block, 108, "0000000");
        put(block, 116, "0000000");
        put(block, 124, String.format("%011o", size));
        put(block, 136, String.format("%011o", 1_700_000_000L));
        block[156] = (byte) type;
        put(block, 257, "ustar");
        put(block, 263, "00");
        return checksummed(block);
    }

    private RawTar entry(byte[] header, byte[] payload) {
        bytes.writeBytes(header);
        bytes.writeBytes(payload);
        bytes.writeBytes(new byte[(TarHeaderBlock.SIZE - payload.length % TarHeaderBlock.SIZE) % TarHeaderBlock.SIZE]);
        return this;
    }

    private static byte[] checksummed(byte[] block) {
        Arrays.fill(block, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : block) {
            sum += b & 0xff;
        }
        put(block, 148, String.format("%06o", sum));
        block[154] = 0;
        return block;
    }

    private static void put(byte[] block, int at, String text) {
        byte[] ascii = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(ascii, 0, block, at, ascii.length);
    }
}
