package dev.recast.stream;

import dev.recast.model.Digest;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Passes bytes on while counting them and computing their SHA-256. */
public final class HashingOutputStream extends FilterOutputStream {
    private final Hasher hasher = Hasher.sha256();
    private long count;

    public HashingOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        hasher.update(new byte[] {(byte) b}, 0, 1);
        count++;
    }

    @Override
    public void write(byte[] buffer, int offset, int length) throws IOException {
        out.write(buffer, offset, length);
        hasher.update(buffer, offset, length);
        count += length;
    }

    public long count() {
        return count;
    }

    /** The digest of everything written; call once, after the last write. */
    public Digest digest() {
        return Digest.of("sha256", hasher.finish());
    }
}
