package dev.recast.stream;

import dev.recast.model.Digest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Passes bytes on while counting them and computing their SHA-256 (e.g. the diff_id of a decompressed tar). */
public final class HashingInputStream extends FilterInputStream {
    private final Hasher hasher;
    private final String algorithm;
    private long count;

    public HashingInputStream(InputStream in) {
        this(in, "sha256");
    }

    public HashingInputStream(InputStream in, String algorithm) {
        super(in);
        this.algorithm = algorithm;
        this.hasher = Hasher.of(algorithm);
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            hasher.update(new byte[] {(byte) b}, 0, 1);
            count++;
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = in.read(buffer, offset, length);
        if (n > 0) {
            hasher.update(buffer, offset, n);
            count += n;
        }
        return n;
    }

    /** Reads through skipped bytes so that they are hashed too. */
    @Override
    public long skip(long n) throws IOException {
        byte[] buffer = new byte[8192];
        long skipped = 0;
        while (skipped < n) {
            int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    public long count() {
        return count;
    }

    /** The digest of everything read; call once, at the end. */
    public Digest digest() {
        return Digest.of(algorithm, hasher.finish());
    }
}
