package dev.recast.stream;

import java.security.MessageDigest;

/** A {@link Hasher} over the JDK's {@link MessageDigest}. */
final class JdkHasher implements Hasher {
    private final MessageDigest digest;

    JdkHasher(MessageDigest digest) {
        this.digest = digest;
    }

    @Override
    public void update(byte[] bytes, int offset, int length) {
        digest.update(bytes, offset, length);
    }

    @Override
    public byte[] finish() {
        return digest.digest();
    }
}
