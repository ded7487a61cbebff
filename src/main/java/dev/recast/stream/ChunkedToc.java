package dev.recast.stream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.github.luben.zstd.RecyclingBufferPool;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.model.Digest;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * A zstd:chunked table of contents ({@code {"version":1,"entries":[…]}}, the field names and omitted empty fields of
 * containers/storage's {@code FileMetadata}) as a layer is written. Each entry is serialised and compressed as soon as
 * it is known, never held as a list of entries; the compressed TOC stays in memory up to {@link #IN_MEMORY} bytes and
 * goes on in a temporary file past that (deleted on {@link #close()}), so a layer of many files does not hold tens
 * of MiB of heap while it converts. The TOC is bounded by {@link #MAX_BYTES} compressed and uncompressed, the most
 * containers/storage reads (about 190,000 files at some 280 bytes an entry; compressed, about a fifth of that).
 */
final class ChunkedToc implements Closeable {
    static final long MAX_BYTES = 50L << 20;
    static final int IN_MEMORY = 1 << 20;
    private static final JsonFactory JSON = new JsonFactory();

    private final SpillingOutputStream stored;
    private final HashingOutputStream compressed;
    private final ZstdOutputStreamNoFinalizer zstd;
    private final HashingOutputStream uncompressed;
    private final JsonGenerator json;
    private int entries;

    /** The finished TOC: its compressed length, their digest (the manifest checksum) and its uncompressed length. */
    record Finished(long compressedLength, Digest checksum, long uncompressedLength, int entries) {
    }

    /** @param spillDirectory where the compressed TOC goes once past {@link #IN_MEMORY} bytes */
    ChunkedToc(int level, Path spillDirectory) throws IOException {
        stored = new SpillingOutputStream(IN_MEMORY, spillDirectory);
        compressed = new HashingOutputStream(stored);
        zstd = new ZstdOutputStreamNoFinalizer(compressed, RecyclingBufferPool.INSTANCE).setLevel(level)
                .setChecksum(true);
        uncompressed = new HashingOutputStream(zstd);
        json = JSON.createGenerator(uncompressed);
        json.writeStartObject();
        json.writeNumberField("version", 1);
        json.writeArrayFieldStart("entries");
    }

    void add(TocEntry e) throws IOException {
        json.writeStartObject();
        json.writeStringField("type", e.type());
        json.writeStringField("name", e.name());
        text("linkName", e.linkName());
        number("mode", e.mode());
        number("size", e.size());
        number("uid", e.uid());
        number("gid", e.gid());
        if (e.modtime() != null) {
            json.writeStringField("modtime", e.modtime().toString());
        }
        // containers/storage 1.43 to 1.46 (podman 4.3 to 4.5) read only these spellings: without them its partial
        // pulls give every file uid 0, gid 0 and the time of the pull. Later versions read keys case-insensitively,
        // so the same value twice changes nothing for them.
        number("UID", e.uid());
        number("GID", e.gid());
        if (e.modtime() != null) {
            json.writeStringField("ModTime", e.modtime().toString());
        }
        number("devMajor", e.devMajor());
        number("devMinor", e.devMinor());
        if (!e.xattrs().isEmpty()) {
            json.writeObjectFieldStart("xattrs");
            for (Map.Entry<String, String> x : new TreeMap<>(e.xattrs()).entrySet()) {
                json.writeStringField(x.getKey(), x.getValue());
            }
            json.writeEndObject();
        }
        text("digest", e.digest());
        number("offset", e.offset());
        number("endOffset", e.endOffset());
        json.writeEndObject();
        entries++;
        checkSize();
    }

    Finished finish() throws IOException {
        json.writeEndArray();
        json.writeEndObject();
        json.close(); // closes the compressor and the stored bytes under it too
        checkSize();
        return new Finished(compressed.count(), compressed.digest(), uncompressed.count(), entries);
    }

    /** The compressed TOC, from its start; only after {@link #finish()}. */
    InputStream compressed() throws IOException {
        return stored.read();
    }

    /**
     * Frees the compressor (native memory) and deletes the spilled TOC, also when the layer failed before
     * {@link #finish()}.
     */
    @Override
    public void close() throws IOException {
        try {
            zstd.close();
        } finally {
            stored.discard();
        }
    }

    private void checkSize() {
        if (compressed.count() > MAX_BYTES || uncompressed.count() > MAX_BYTES) {
            throw new RecastException(ErrorKind.TOO_LARGE, "layer has too many files for zstd:chunked: its table of "
                    + "contents passes " + MAX_BYTES + " bytes after " + entries + " entries, more than "
                    + "containers/storage reads");
        }
    }

    private void text(String field, String value) throws IOException {
        if (value != null && !value.isEmpty()) {
            json.writeStringField(field, value);
        }
    }

    private void number(String field, long value) throws IOException {
        if (value != 0) {
            json.writeNumberField(field, value);
        }
    }
}
