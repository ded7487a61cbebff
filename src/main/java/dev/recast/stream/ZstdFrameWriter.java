package dev.recast.stream;

import com.github.luben.zstd.EndDirective;
import com.github.luben.zstd.ZstdCompressCtx;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes zstd frames one after another into a sink and knows the offset of every frame boundary: what zstd:chunked
 * needs to point at a file's frame. One compression context serves all frames (a new frame starts after each end),
 * so a layer of many small files does not pay for a context per file. No workers: output depends only on the input.
 */
final class ZstdFrameWriter implements Closeable {
    private static final int BUFFER = 1 << 17;
    private static final int SKIPPABLE_MAGIC = 0x184D2A50;

    private final OutputStream sink;
    private final ZstdCompressCtx context = new ZstdCompressCtx();
    private final ByteBuffer input = ByteBuffer.allocateDirect(BUFFER);
    private final ByteBuffer output = ByteBuffer.allocateDirect(BUFFER);
    private final byte[] transfer = new byte[BUFFER];
    private long offset;
    private boolean frameOpen;

    ZstdFrameWriter(OutputStream sink, int level) {
        this.sink = sink;
        context.setLevel(level);
        context.setChecksum(true);
    }

    /** Bytes written to the sink so far: after {@link #endFrame()}, where the next frame starts. */
    long offset() {
        return offset;
    }

    /**
     * Starts a frame of exactly {@code size} bytes (the open one is ended first): zstd fits its parameters to a known
     * size and writes the size into the frame header, as a file's frame can have it.
     */
    void startFrame(long size) throws IOException {
        endFrame();
        context.setPledgedSrcSize(size);
    }

    void write(byte[] buffer, int from, int length) throws IOException {
        while (length > 0) {
            int n = Math.min(length, input.remaining());
            input.put(buffer, from, n);
            from += n;
            length -= n;
            frameOpen = true;
            if (!input.hasRemaining()) {
                compress(EndDirective.CONTINUE);
            }
        }
    }

    /** Ends the frame being written, if any; returns the offset just past it. */
    long endFrame() throws IOException {
        if (frameOpen) {
            compress(EndDirective.END);
            frameOpen = false;
        }
        return offset;
    }

    /** A skippable frame (which decoders pass over) holding {@code content}; ends the open frame first. */
    void skippable(byte[] content) throws IOException {
        skippable(new ByteArrayInputStream(content), content.length);
    }

    /** A skippable frame holding the {@code length} bytes {@code content} streams; ends the open frame first. */
    void skippable(InputStream content, long length) throws IOException {
        endFrame();
        if (length > 0xffff_ffffL) {
            throw new IllegalArgumentException("a skippable frame holds at most 4 GiB - 1, not " + length + " bytes");
        }
        byte[] header = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(SKIPPABLE_MAGIC)
                .putInt((int) length).array();
        sink.write(header);
        long copied = content.transferTo(sink);
        if (copied != length) {
            throw new IOException("skippable frame content was " + copied + " bytes, not the " + length + " announced");
        }
        offset += header.length + length;
    }

    private void compress(EndDirective directive) throws IOException {
        input.flip();
        boolean done;
        do {
            done = context.compressDirectByteBufferStream(output, input, directive);
            drain();
        } while (directive == EndDirective.END ? !done : input.hasRemaining());
        input.clear();
    }

    private void drain() throws IOException {
        output.flip();
        while (output.hasRemaining()) {
            int n = Math.min(output.remaining(), transfer.length);
            output.get(transfer, 0, n);
            sink.write(transfer, 0, n);
            offset += n;
        }
        output.clear();
    }

    @Override
    public void close() {
        context.close();
    }
}
