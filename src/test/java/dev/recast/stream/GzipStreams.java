package dev.recast.stream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/** Gzip test data built byte by byte, so that header fields, member boundaries and trailers are where tests say. */
final class GzipStreams {
    static final int FTEXT = 1;
    static final int FHCRC = 2;
    static final int FEXTRA = 4;
    static final int FNAME = 8;
    static final int FCOMMENT = 16;

    private GzipStreams() {
    }

    /** One member: header with the given flags, raw deflate at {@code level}, CRC-32 and ISIZE trailer. */
    static byte[] member(byte[] data, int level, int flags) {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        header.writeBytes(new byte[]{0x1f, (byte) 0x8b, 8, (byte) flags, 0x12, 0x34, 0x56, 0x78, 0, 3});
        if ((flags & FEXTRA) != 0) {
            byte[] extra = "RC\u0006\u0000recast".getBytes(StandardCharsets.ISO_8859_1);
            header.write(extra.length);
            header.write(0);
            header.writeBytes(extra);
        }
        if ((flags & FNAME) != 0) {
            header.writeBytes("layer.tar\0".getBytes(StandardCharsets.ISO_8859_1));
        }
        if ((flags & FCOMMENT) != 0) {
            header.writeBytes("a comment\0".getBytes(StandardCharsets.ISO_8859_1));
        }
        if ((flags & FHCRC) != 0) {
            CRC32 crc = new CRC32();
            crc.update(header.toByteArray());
            header.write((int) crc.getValue() & 0xff);
            header.write((int) (crc.getValue() >>> 8) & 0xff);
        }
        Deflater deflater = new Deflater(level, true);
        deflater.setInput(data);
        deflater.finish();
        byte[] buffer = new byte[8192];
        while (!deflater.finished()) {
            header.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        CRC32 crc = new CRC32();
        crc.update(data);
        header.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
                .putInt((int) crc.getValue()).putInt(data.length).array());
        return header.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }

    /** Tar-like bytes: text lines, long runs of zeros and incompressible stretches (stored blocks), from a seed. */
    static byte[] data(int size, long seed) {
        Random random = new Random(seed);
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        while (out.size() < size) {
            switch (random.nextInt(3)) {
                case 0 -> {
                    for (int i = random.nextInt(40); i >= 0; i--) {
                        out.writeBytes(("usr/lib/file-" + random.nextInt(500) + " mode=0644 size=" + random.nextInt(1 << 20)
                                + "\n").getBytes(StandardCharsets.US_ASCII));
                    }
                }
                case 1 -> out.writeBytes(new byte[random.nextInt(20_000)]);
                default -> {
                    byte[] noise = new byte[random.nextInt(30_000)];
                    random.nextBytes(noise);
                    out.writeBytes(noise);
                }
            }
        }
        return java.util.Arrays.copyOf(out.toByteArray(), size);
    }

    /** Everything {@code decoder} makes of {@code gzip} when its source gives at most {@code chunk} bytes per read. */
    static byte[] decode(GzipDecoder decoder, byte[] gzip, int chunk) throws IOException {
        try (InputStream decoded = decoder.open(new ChunkedInputStream(gzip, chunk))) {
            return decoded.readAllBytes();
        }
    }

    /** A byte array delivered at most {@code chunk} bytes per read, as a network stream may deliver a blob. */
    static final class ChunkedInputStream extends ByteArrayInputStream {
        private final int chunk;
        private boolean closed;

        ChunkedInputStream(byte[] bytes, int chunk) {
            super(bytes);
            this.chunk = chunk;
        }

        @Override
        public synchronized int read(byte[] buffer, int offset, int length) {
            return super.read(buffer, offset, Math.min(length, chunk));
        }

        @Override
        public void close() {
            closed = true;
        }

        boolean closed() {
            return closed;
        }
    }
}
