package dev.recast.model;

import java.nio.charset.StandardCharsets;

/**
 * A small blob held in memory (manifest, index or config) with its media type, exactly as stored:
 * the digest is always that of these bytes, never of a re-serialisation.
 */
public record Content(MediaType mediaType, byte[] bytes, Digest digest) {

    /** The image-spec's empty descriptor's content, {@code {}}: the config of artifacts that have none of their own. */
    public static final Content OCI_EMPTY = of(MediaType.OCI_EMPTY, "{}".getBytes(StandardCharsets.UTF_8));

    public Content {
        if (!digest.matches(bytes)) {
            throw new IllegalArgumentException("content bytes do not match " + digest);
        }
    }

    public static Content of(MediaType mediaType, byte[] bytes) {
        return new Content(mediaType, bytes, Digest.sha256(bytes));
    }

    public long size() {
        return bytes.length;
    }

    public Descriptor descriptor() {
        return new Descriptor(mediaType, digest, bytes.length);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Content that && mediaType.equals(that.mediaType) && digest.equals(that.digest);
    }

    @Override
    public int hashCode() {
        return digest.hashCode();
    }

    @Override
    public String toString() {
        return mediaType + " " + digest + " (" + bytes.length + " bytes)";
    }
}
