package dev.recast.stream;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Bytes kept in memory up to a threshold and, past it, in a temporary file (all of them, moved there once), so that
 * something usually small but possibly large costs a bounded heap. {@link #close()} ends the writing (the bytes can
 * still be read); {@link #discard()} deletes the file.
 */
final class SpillingOutputStream extends OutputStream {
    private final int threshold;
    private final Path directory;
    private ByteArrayOutputStream memory = new ByteArrayOutputStream(1 << 12);
    private Path file;
    private OutputStream fileOut;
    private long size;

    /** @param directory where the temporary file goes, once needed */
    SpillingOutputStream(int threshold, Path directory) {
        this.threshold = threshold;
        this.directory = directory;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[]{(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] buffer, int offset, int length) throws IOException {
        if (fileOut == null && size + length > threshold) {
            file = Files.createTempFile(directory, "recast-toc-", ".zst");
            fileOut = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
            memory.writeTo(fileOut);
            memory = null;
        }
        (fileOut != null ? fileOut : memory).write(buffer, offset, length);
        size += length;
    }

    /** Everything written, from the start; call after the last write. */
    InputStream read() throws IOException {
        if (fileOut == null) {
            return new ByteArrayInputStream(memory.toByteArray());
        }
        fileOut.flush();
        return Files.newInputStream(file);
    }

    @Override
    public void close() throws IOException {
        if (fileOut != null) {
            fileOut.close();
        }
    }

    /** Ends the writing and deletes the temporary file, if there is one; also after a failure. */
    void discard() throws IOException {
        try {
            close();
        } finally {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        }
    }
}
