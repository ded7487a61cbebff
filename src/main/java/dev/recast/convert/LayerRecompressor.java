package dev.recast.convert;

import com.github.luben.zstd.RecyclingBufferPool;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.model.Compression;
import dev.recast.model.Digest;
import dev.recast.stream.CountingInputStream;
import dev.recast.stream.GzipDecoder;
import dev.recast.stream.HashingInputStream;
import dev.recast.stream.ZstdChunkedWriter;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * One streaming pass over a layer: decompress, hash the tar (its diff_id), compress anew. Memory use is a few
 * buffers whatever the layer size. Output is reproducible: fixed level and parameters, zstd with a checksum and a
 * fixed worker count (one worker: compression runs on its own thread while this one inflates and hashes; zstd's
 * output depends on the worker count only between 0 and not 0), gzip without timestamp or name, zstd:chunked frame by
 * frame as {@link ZstdChunkedWriter} describes.
 */
public final class LayerRecompressor {
    private static final int BUFFER = 1 << 17;
    private static final long RATIO_CHECK_FROM = 64L << 20;
    private final long maxTarBytes;
    private final long maxRatio;

    /** @param maxTarBytes largest tar accepted; @param maxRatio largest tar/compressed ratio past 64 MiB of tar */
    public LayerRecompressor(long maxTarBytes, long maxRatio) {
        this.maxTarBytes = maxTarBytes;
        this.maxRatio = maxRatio;
    }

    /**
     * What a pass saw: the compression the blob really had and the digest and size of its tar; and the annotations
     * the written blob's descriptor needs (zstd:chunked's table of contents; empty for other compressions).
     */
    public record Pass(Compression sourceCompression, Digest diffId, long tarSize, Map<String, String> annotations) {
        public Pass {
            // in their order: a descriptor's annotations are written as they come, and manifests must be reproducible
            annotations = Collections.unmodifiableMap(new LinkedHashMap<>(annotations));
        }
    }

    /** The compression a stream really has, read from its first bytes without consuming them. */
    public static Compression sniff(BufferedInputStream in) throws IOException {
        in.mark(4);
        byte[] head = in.readNBytes(4);
        in.reset();
        return Compression.detect(head, head.length);
    }

    /**
     * Decompresses {@code blob} (whose real compression is {@code from}), hashes the tar and writes it compressed as
     * {@code to} into {@code sink}. Reads the blob to its very end, so a verifying source checks its digest.
     * The sink is flushed but not closed.
     */
    public Pass recompress(InputStream blob, Compression from, Compression to, int level, OutputStream sink)
            throws IOException {
        CountingInputStream compressed = new CountingInputStream(blob);
        InputStream decompressed = decompressing(compressed, from);
        HashingInputStream tar = new HashingInputStream(decompressed);
        OutputStream compressor = compressing(new NonClosingOutputStream(sink), to, level);
        try (compressor) {
            byte[] buffer = new byte[BUFFER];
            int n;
            while ((n = tar.read(buffer)) >= 0) {
                checkLimits(tar.count(), compressed.count());
                compressor.write(buffer, 0, n);
            }
        }
        // A compressed stream may end before its blob does (padding, trailing data): read the rest so that the
        // blob's own digest is checked over every byte.
        blob.transferTo(OutputStream.nullOutputStream());
        if (decompressed != compressed) {
            decompressed.close();
        }
        sink.flush();
        Map<String, String> annotations = compressor instanceof ZstdChunkedWriter chunked ? chunked.annotations()
                : Map.of();
        return new Pass(from, tar.digest(), tar.count(), annotations);
    }

    /**
     * Decompresses {@code blob} (really {@code from}) and hashes its tar without writing anything: how a blob converted
     * by someone else (a layer cache entry) is checked against the diff_id it claims before it is used.
     */
    public Pass unpack(InputStream blob, Compression from) throws IOException {
        return recompress(blob, from, Compression.NONE, 0, OutputStream.nullOutputStream());
    }

    private void checkLimits(long tarBytes, long compressedBytes) {
        if (tarBytes > maxTarBytes) {
            throw new RecastException(ErrorKind.TOO_LARGE, "layer unpacks to more than " + maxTarBytes
                    + " bytes (recast.limits.layer-bytes)");
        }
        if (tarBytes > RATIO_CHECK_FROM && tarBytes > maxRatio * Math.max(1, compressedBytes)) {
            throw new RecastException(ErrorKind.TOO_LARGE, "layer inflates more than " + maxRatio + " times ("
                    + compressedBytes + " bytes read gave " + tarBytes + "): refused as a decompression bomb "
                    + "(recast.limits.expansion-ratio)");
        }
    }

    private static InputStream decompressing(InputStream blob, Compression from) throws IOException {
        return switch (from) {
            case NONE -> blob;
            case GZIP -> GzipDecoder.chosen().open(new NonClosingInputStream(blob));
            case ZSTD, ZSTD_CHUNKED -> new ZstdInputStreamNoFinalizer(new NonClosingInputStream(blob), RecyclingBufferPool.INSTANCE)
                    .setContinuous(false);
        };
    }

    private static OutputStream compressing(OutputStream sink, Compression to, int level) throws IOException {
        return switch (to) {
            case NONE -> sink;
            case GZIP -> new LevelledGzipOutputStream(sink, level);
            case ZSTD -> new ZstdOutputStreamNoFinalizer(sink, RecyclingBufferPool.INSTANCE)
                    .setLevel(level).setChecksum(true).setWorkers(1);
            case ZSTD_CHUNKED -> new ZstdChunkedWriter(sink, level);
        };
    }

    /** GZIPOutputStream at a chosen level; its header carries no time or name, so output is reproducible. */
    private static final class LevelledGzipOutputStream extends GZIPOutputStream {
        LevelledGzipOutputStream(OutputStream out, int level) throws IOException {
            super(out, BUFFER);
            def.setLevel(level);
            def.setStrategy(Deflater.DEFAULT_STRATEGY);
        }
    }

    /** Lets a decoder be closed without closing the blob stream under it (which we still drain). */
    private static final class NonClosingInputStream extends java.io.FilterInputStream {
        NonClosingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
        }
    }

    /** Lets an encoder finish its frame without closing the blob writer's stream. */
    private static final class NonClosingOutputStream extends java.io.FilterOutputStream {
        NonClosingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] buffer, int offset, int length) throws IOException {
            out.write(buffer, offset, length);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
