package dev.recast.stream;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.model.Digest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a blob and checks it against the digest and size that name it: fails as soon as more bytes arrive than
 * the size allows, and at the end when the count or digest differ. Nobody downstream sees an unchecked end.
 */
public final class VerifyingInputStream extends FilterInputStream {
    private final HashingInputStream hashing;
    private final Digest expected;
    private final long expectedSize;
    private final String what;
    private boolean verified;

    /**
     * @param expectedSize the declared size, or -1 when unknown (then only the digest is checked)
     * @param what         names the blob in errors, e.g. "layer sha256:… of fixtures/hello:v2s2"
     */
    public VerifyingInputStream(InputStream in, Digest expected, long expectedSize, String what) {
        this(new HashingInputStream(in, expected.algorithm()), expected, expectedSize, what);
    }

    private VerifyingInputStream(HashingInputStream hashing, Digest expected, long expectedSize, String what) {
        super(hashing);
        this.hashing = hashing;
        this.expected = expected;
        this.expectedSize = expectedSize;
        this.what = what;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        afterRead(b < 0 ? -1 : 1);
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = in.read(buffer, offset, length);
        afterRead(n);
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = in.skip(n);
        afterRead(0);
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void afterRead(int n) {
        if (n < 0) {
            verify();
        } else if (expectedSize >= 0 && hashing.count() > expectedSize) {
            throw new RecastException(ErrorKind.DIGEST_MISMATCH, what + " is longer than its declared size "
                    + expectedSize, null, expected.toString(), null);
        }
    }

    private void verify() {
        if (verified) {
            return;
        }
        if (expectedSize >= 0 && hashing.count() != expectedSize) {
            throw new RecastException(ErrorKind.DIGEST_MISMATCH, what + " has " + hashing.count()
                    + " bytes but its descriptor says " + expectedSize, null, expected.toString(), null);
        }
        Digest actual = hashing.digest();
        if (!actual.equals(expected)) {
            throw new RecastException(ErrorKind.DIGEST_MISMATCH, what + " has digest " + actual
                    + " but is named " + expected, null, expected.toString(), null);
        }
        verified = true;
    }

    /** Reads a small blob to the end, verified, refusing more than {@code cap} bytes. */
    public static byte[] readAllVerified(InputStream in, Digest expected, long expectedSize, long cap, String what)
            throws IOException {
        if (expectedSize > cap) {
            throw new RecastException(ErrorKind.TOO_LARGE, what + " is " + expectedSize
                    + " bytes, over the limit of " + cap, null, expected.toString(), null);
        }
        try (VerifyingInputStream verifying = new VerifyingInputStream(in, expected, expectedSize, what)) {
            byte[] bytes = verifying.readNBytes((int) Math.min(cap, Integer.MAX_VALUE - 8));
            if (verifying.read() != -1) {
                throw new RecastException(ErrorKind.TOO_LARGE, what + " is over the limit of " + cap + " bytes",
                        null, expected.toString(), null);
            }
            return bytes;
        }
    }
}
