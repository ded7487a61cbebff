package dev.recast.stream;

import dev.recast.model.Digest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Compresses a layer tar, written into it byte for byte, as containers/storage's zstd:chunked: the content of every
 * regular file in a zstd frame of its own (tar headers and padding in frames between), so its offset in the blob is
 * known; then the table of contents (see {@link ChunkedToc}) in a skippable frame, then a 64-byte footer in another.
 * Decoders skip skippable frames: the blob still decompresses to exactly the tar written, whose digest stays the
 * layer's diff_id. The tar is parsed as it streams through; memory is a few buffers, the extended headers pending
 * for the next entry (at most 1 MiB together, see {@link TarExtensions}) and up to 1 MiB of compressed TOC (more goes
 * to a temporary file, see {@link ChunkedToc}).
 * <p>
 * After {@link #close()}, {@link #annotations()} are the layer descriptor annotations that let podman fetch only the
 * files it lacks: under both the current names and the {@code io.containers.} names of containers/storage before
 * 1.44 (podman 4.3 and older), which does not know the current ones.
 */
public final class ZstdChunkedWriter extends OutputStream {
    public static final String MANIFEST_CHECKSUM = "io.github.containers.zstd-chunked.manifest-checksum";
    public static final String MANIFEST_POSITION = "io.github.containers.zstd-chunked.manifest-position";
    public static final String LEGACY_MANIFEST_CHECKSUM = "io.containers.zstd-chunked.manifest-checksum";
    public static final String LEGACY_MANIFEST_POSITION = "io.containers.zstd-chunked.manifest-position";
    private static final byte[] FOOTER_MAGIC = {0x47, 0x4e, 0x55, 0x6c, 0x49, 0x6e, 0x55, 0x78};
    private static final int SKIPPABLE_HEADER = 8;

    private enum State { HEADER, EXTENSION, CONTENT, PADDING, TRAILER }

    private final OutputStream sink;
    private final ZstdFrameWriter frames;
    private final ChunkedToc toc;
    private final TarExtensions extensions = new TarExtensions();
    private final byte[] block = new byte[TarHeaderBlock.SIZE];
    private State state = State.HEADER;
    private int filled;
    private long position;
    private long blockStart;
    private long remaining;
    private int padding;
    private char extensionType;
    private ByteArrayOutputStream extension;
    private TocEntry file;
    private Hasher fileDigest;
    private long fileStart;
    private Map<String, String> annotations;
    private boolean failed;
    private boolean closed;

    public ZstdChunkedWriter(OutputStream sink, int level) throws IOException {
        this(sink, level, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** @param spillDirectory where a table of contents past 1 MiB compressed is kept until it is written */
    ZstdChunkedWriter(OutputStream sink, int level, Path spillDirectory) throws IOException {
        this.sink = sink;
        this.frames = new ZstdFrameWriter(sink, level);
        this.toc = new ChunkedToc(level, spillDirectory);
    }

    /** True for the annotations that describe a zstd:chunked blob: they must not outlive the blob they describe. */
    public static boolean describesChunkedBlob(String annotation) {
        return annotation.startsWith("io.github.containers.zstd-chunked.")
                || annotation.startsWith("io.containers.zstd-chunked.");
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[]{(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] buffer, int offset, int length) throws IOException {
        failed = true; // until this write is through: a failed layer gets no table of contents
        while (length > 0) {
            int n = switch (state) {
                case HEADER -> header(buffer, offset, length);
                case EXTENSION, CONTENT -> payload(buffer, offset, length);
                case PADDING -> skip(buffer, offset, length);
                case TRAILER -> trailer(buffer, offset, length);
            };
            offset += n;
            length -= n;
            position += n;
        }
        failed = false;
    }

    private int header(byte[] buffer, int offset, int length) throws IOException {
        if (filled == 0) {
            blockStart = position;
        }
        int n = Math.min(length, block.length - filled);
        System.arraycopy(buffer, offset, block, filled, n);
        frames.write(buffer, offset, n);
        filled += n;
        if (filled == block.length) {
            filled = 0;
            headerComplete();
        }
        return n;
    }

    private void headerComplete() throws IOException {
        if (TarHeaderBlock.isZeros(block)) {
            // end of archive: the rest (the second zero block, any padding) goes on as it is
            state = State.TRAILER;
            return;
        }
        TarHeaderBlock header = TarHeaderBlock.parse(block, blockStart);
        switch (header.type()) {
            case 'x', 'g', 'L', 'K' -> {
                extensions.admit(header.type(), header.size(), blockStart);
                extensionType = header.type();
                extension = new ByteArrayOutputStream((int) header.size());
                startPayload(State.EXTENSION, header.size());
            }
            default -> {
                TocEntry entry = extensions.entry(header, blockStart);
                if (entry.type().equals("reg") && entry.size() > 0) {
                    file = entry;
                    fileStart = frames.endFrame();
                    frames.startFrame(entry.size());
                    fileDigest = Hasher.sha256();
                    startPayload(State.CONTENT, entry.size());
                } else {
                    // other types carry no content, whatever their size field says (as in Go's archive/tar)
                    toc.add(entry);
                }
            }
        }
    }

    private void startPayload(State payloadState, long size) throws IOException {
        remaining = size;
        padding = (int) ((TarHeaderBlock.SIZE - size % TarHeaderBlock.SIZE) % TarHeaderBlock.SIZE);
        state = payloadState;
        if (size == 0) {
            payloadComplete();
        }
    }

    private int payload(byte[] buffer, int offset, int length) throws IOException {
        int n = (int) Math.min(length, remaining);
        frames.write(buffer, offset, n);
        if (state == State.CONTENT) {
            fileDigest.update(buffer, offset, n);
        } else {
            extension.write(buffer, offset, n);
        }
        remaining -= n;
        if (remaining == 0) {
            payloadComplete();
        }
        return n;
    }

    private void payloadComplete() throws IOException {
        if (state == State.CONTENT) {
            long end = frames.endFrame();
            toc.add(file.withContent(Digest.of("sha256", fileDigest.finish()).toString(), fileStart, end));
            file = null;
        } else {
            extensions.accept(extensionType, extension.toByteArray(), blockStart);
            extension = null;
        }
        state = padding > 0 ? State.PADDING : State.HEADER;
    }

    private int skip(byte[] buffer, int offset, int length) throws IOException {
        int n = Math.min(length, padding);
        frames.write(buffer, offset, n);
        padding -= n;
        if (padding == 0) {
            state = State.HEADER;
        }
        return n;
    }

    private int trailer(byte[] buffer, int offset, int length) throws IOException {
        frames.write(buffer, offset, length);
        return length;
    }

    /** Ends the data, writes the table of contents and the footer; the sink is flushed, not closed. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (failed) {
                return;
            }
            if (state != State.TRAILER && !(state == State.HEADER && filled == 0)) {
                throw TarHeaderBlock.invalid("the tar ends inside an entry, at byte " + position);
            }
            long tocOffset = frames.endFrame() + SKIPPABLE_HEADER;
            ChunkedToc.Finished finished = toc.finish();
            try (InputStream compressedToc = toc.compressed()) {
                frames.skippable(compressedToc, finished.compressedLength());
            }
            frames.skippable(footer(tocOffset, finished));
            String tocPosition = tocOffset + ":" + finished.compressedLength() + ":" + finished.uncompressedLength()
                    + ":1";
            Map<String, String> result = new LinkedHashMap<>();
            result.put(MANIFEST_CHECKSUM, finished.checksum().toString());
            result.put(MANIFEST_POSITION, tocPosition);
            result.put(LEGACY_MANIFEST_CHECKSUM, finished.checksum().toString());
            result.put(LEGACY_MANIFEST_POSITION, tocPosition);
            annotations = Collections.unmodifiableMap(result);
            sink.flush();
        } finally {
            toc.close();
            frames.close();
        }
    }

    /** Bytes of extended headers held for the next entry, the one being read included; for tests. */
    long pendingExtensionBytes() {
        return extensions.pendingBytes();
    }

    /** The layer annotations for the blob written; only after {@link #close()}. */
    public Map<String, String> annotations() {
        if (annotations == null) {
            throw new IllegalStateException("zstd:chunked annotations are known only once the blob is complete");
        }
        return annotations;
    }

    /**
     * The footer of current containers/storage: TOC offset, compressed and uncompressed length, TOC type 1, then
     * offset and lengths of a tar-split (none here: zeros), then the magic. Readers take positions from the
     * annotations; the footer makes the blob describe itself.
     */
    private static byte[] footer(long tocOffset, ChunkedToc.Finished toc) {
        return ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN).putLong(tocOffset)
                .putLong(toc.compressedLength()).putLong(toc.uncompressedLength()).putLong(1)
                .putLong(0).putLong(0).putLong(0).put(FOOTER_MAGIC).array();
    }
}
