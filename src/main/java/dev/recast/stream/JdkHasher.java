package dev.recast.stream;

import java.security.MessageDigest;

/** A {@link Hasher} over the JDK's {@link MessageDigest}. */
final class JdkHasher implements Hasher {
    private final MessageDigest digest;
    private byte[] hash;

    JdkHasher(MessageDigest digest) {
        this.digest = digest;
    }

    @Override
    public void update(byte[] bytes, int offset, int length) {
        if (hash != null) {
            throw new IllegalStateException("this hash is finished");
        }
        digest.update(bytes, offset, length);
    }

    @Override
    public byte[] finish() {
        if (hash == null) {
            hash = digest.digest();
        }
        return hash.clone();
    }
}
