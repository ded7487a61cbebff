package dev.recast.stream;

import dev.recast.model.Digest;

/**
 * A running hash over a stream's bytes. SHA-256, the hash of every blob and tar Recast moves, comes from
 * {@link HasherChoice}: OpenSSL's when it loads (through the FFM API, as fast as the JDK's compiled code from the
 * first byte on, and independent of the JIT), else the JDK's. Other algorithms are the JDK's.
 */
public interface Hasher {

    void update(byte[] bytes, int offset, int length);

    /**
     * The hash of everything given, after the last update (native state is freed then); asked again, the same hash.
     * No update may follow.
     */
    byte[] finish();

    /** A new SHA-256. */
    static Hasher sha256() {
        return HasherChoice.CHOSEN.get();
    }

    /** A new hash of {@code algorithm} as digests name it ({@code sha256}, {@code sha512}). */
    static Hasher of(String algorithm) {
        return algorithm.equals("sha256") ? sha256() : new JdkHasher(Digest.newMessageDigest(algorithm));
    }
}
