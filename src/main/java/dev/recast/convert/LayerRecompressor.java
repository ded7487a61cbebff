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
import dev.recast.stream.ZstdChunkedWriter;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * One streaming pass over a layer: decompress, hash the tar (its diff_id), compress anew, with the work spread over
 * pipeline stages ({@link LayerPipeline}). Memory use is a few buffers whatever the layer size. New output formats
 * are added in {@link #compressing}. Output is reproducible: fixed level and parameters, zstd with a checksum and a
 * fixed worker count (none: zstd compresses on the pipeline's encoder stage, in about 3 MiB of native memory at
 * level 3, where one zstd worker held about 55 MiB of job buffers; zstd's output depends on the worker count only
 * between 0 and not 0), gzip without timestamp or name, zstd:chunked frame by frame as {@link ZstdChunkedWriter}
 * describes.
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
     * {@code to} into {@code sink}: this thread downloads and inflates, the hashing, the compression and the sink run
     * as stages on threads from {@code stages} (see {@link LayerPipeline}). Reads the blob to its very end, so a
     * verifying source checks its digest. The sink is flushed but not closed; when this throws, every stage has ended.
     */
    public Pass recompress(InputStream blob, Compression from, Compression to, int level, OutputStream sink,
                           ThreadFactory stages) throws IOException {
        AtomicReference<OutputStream> encoder = new AtomicReference<>();
        Pass pass = pass(blob, from, out -> {
            encoder.set(compressing(new NonClosingOutputStream(out), to, level));
            return encoder.get();
        }, sink, stages);
        // the encoder stage has closed the encoder by now: a chunked writer's table of contents is complete
        return encoder.get() instanceof ZstdChunkedWriter chunked
                ? new Pass(pass.sourceCompression(), pass.diffId(), pass.tarSize(), chunked.annotations()) : pass;
    }

    /**
     * Decompresses {@code blob} (really {@code from}) and hashes its tar without writing anything: how a blob converted
     * by someone else (a layer cache entry) is checked against the diff_id it claims before it is used.
     */
    public Pass unpack(InputStream blob, Compression from, ThreadFactory stages) throws IOException {
        return pass(blob, from, null, OutputStream.nullOutputStream(), stages);
    }

    private Pass pass(InputStream blob, Compression from, LayerPipeline.Encoding encoding, OutputStream sink,
                      ThreadFactory stages) throws IOException {
        CountingInputStream compressed = new CountingInputStream(blob);
        InputStream decompressed = decompressing(compressed, from);
        LayerPipeline pipeline = new LayerPipeline(encoding, sink, stages);
        boolean finished = false;
        try {
            long tarBytes = 0;
            int n;
            while ((n = pipeline.readFrom(decompressed)) >= 0) {
                tarBytes += n;
                checkLimits(tarBytes, compressed.count());
            }
            Digest diffId = pipeline.finish();
            finished = true;
            // A compressed stream may end before its blob does (padding, trailing data): read the rest so that the
            // blob's own digest is checked over every byte.
            blob.transferTo(OutputStream.nullOutputStream());
            return new Pass(from, diffId, tarBytes, Map.of());
        } finally {
            if (!finished) {
                pipeline.abort();
            }
            if (decompressed != compressed) {
                decompressed.close();
            }
        }
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
            case ZSTD, ZSTD_CHUNKED -> new ZstdInputStreamNoFinalizer(new NonClosingInputStream(blob),
                    RecyclingBufferPool.INSTANCE).setContinuous(false);
        };
    }

    private static OutputStream compressing(OutputStream sink, Compression to, int level) throws IOException {
        return switch (to) {
            case NONE -> sink;
            case GZIP -> new LevelledGzipOutputStream(sink, level);
            case ZSTD -> new ZstdOutputStreamNoFinalizer(sink, RecyclingBufferPool.INSTANCE)
                    .setLevel(level).setChecksum(true).setWorkers(0);
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
