package dev.recast.convert;

import dev.recast.model.Digest;
import dev.recast.stream.HandoffOutputStream;
import dev.recast.stream.HashingOutputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.ThreadFactory;

/**
 * Where the tar of a layer goes once inflated, as stages on threads of their own so that one large layer keeps every
 * core busy: the tar is hashed (its diff_id) on one stage and fed to the encoder on another, both from the same
 * chunks, which the decoder fills directly ({@link #readFrom}); the encoder's output reaches the sink (the blob
 * writer: SHA-256 of the blob, upload) on a third. Between stages sit {@value #CHUNKS} chunks of {@value #CHUNK}
 * bytes, so a layer's pipeline holds about 2 MiB whatever its size.
 * <p>
 * {@link #finish()} waits for every stage and returns the diff_id; {@link #abort()} (after any failure) stops them
 * all. A failure of any stage surfaces in the writer's next {@code write} or in {@code finish}.
 */
final class LayerPipeline {
    static final int CHUNK = 1 << 18;
    static final int CHUNKS = 4;

    private final HashingOutputStream tar = new HashingOutputStream(OutputStream.nullOutputStream());
    private final HandoffOutputStream toStages;
    private final OutputStream encoder;
    private final HandoffOutputStream toSink;
    private final OutputStream sink;

    /**
     * @param encoding builds the encoder writing into the stream it is given (it must not close that stream); null when
     *                 the tar is only hashed
     */
    LayerPipeline(Encoding encoding, OutputStream sink, ThreadFactory threads) throws IOException {
        this.sink = sink;
        if (encoding == null) {
            this.toSink = null;
            this.encoder = null;
            this.toStages = HandoffOutputStream.start(tar, CHUNKS, CHUNK, threads);
            return;
        }
        this.toSink = HandoffOutputStream.start(sink, CHUNKS, CHUNK, threads);
        OutputStream built = null;
        try {
            built = encoding.open(toSink);
        } finally {
            if (built == null) {
                toSink.abort();
            }
        }
        this.encoder = built;
        this.toStages = HandoffOutputStream.start(List.of(tar, encoder), CHUNKS, CHUNK, threads);
    }

    /** An encoder (zstd, gzip, ...) writing into {@code out}; closing it finishes its format but leaves out open. */
    @FunctionalInterface
    interface Encoding {
        OutputStream open(OutputStream out) throws IOException;
    }

    /** Reads the next tar bytes from {@code decoded} into the stages: how many, or -1 at its end. */
    int readFrom(InputStream decoded) throws IOException {
        return toStages.readFrom(decoded);
    }

    /** Waits until every byte is hashed, encoded and in the sink (flushed, not closed); the tar's digest. */
    Digest finish() throws IOException {
        toStages.close();
        if (encoder != null) {
            encoder.close(); // the encoder's last bytes (end of frame, checksum) go to the sink's stage
            toSink.close();
            sink.flush();
        }
        return tar.digest();
    }

    /** Stops every stage and frees the encoder; nothing thrown (the failure that led here is the one reported). */
    void abort() {
        toStages.abort();
        if (encoder != null) {
            toSink.abort();
            try {
                encoder.close(); // frees its native memory; its last bytes go nowhere
            } catch (IOException | RuntimeException ignored) {
                // the stage it would write to has ended
            }
        }
    }
}
