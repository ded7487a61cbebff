package dev.recast.model;

import dev.recast.ErrorKind;
import dev.recast.RecastException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A content descriptor: what a manifest or index says about a blob or child manifest. */
public record Descriptor(MediaType mediaType, Digest digest, long size, List<String> urls,
                         Map<String, String> annotations, Platform platform, String artifactType) {

    public Descriptor {
        if (mediaType == null || digest == null) {
            throw new RecastException(ErrorKind.INVALID_IMAGE, "a descriptor needs mediaType and digest");
        }
        if (size < 0) {
            throw new RecastException(ErrorKind.INVALID_IMAGE, "descriptor " + digest + " has a negative size");
        }
        urls = urls == null ? List.of() : List.copyOf(urls);
        annotations = annotations == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(annotations));
    }

    public Descriptor(MediaType mediaType, Digest digest, long size) {
        this(mediaType, digest, size, List.of(), Map.of(), null, null);
    }

    public Descriptor withMediaType(MediaType type) {
        return new Descriptor(type, digest, size, urls, annotations, platform, artifactType);
    }

    /** The same descriptor naming other content (digest, size, type); urls, annotations and platform stay. */
    public Descriptor withContent(MediaType type, Digest newDigest, long newSize) {
        return new Descriptor(type, newDigest, newSize, urls, annotations, platform, artifactType);
    }

    public Descriptor withPlatform(Platform newPlatform) {
        return new Descriptor(mediaType, digest, size, urls, annotations, newPlatform, artifactType);
    }

    public Descriptor withAnnotations(Map<String, String> newAnnotations) {
        return new Descriptor(mediaType, digest, size, urls, newAnnotations, platform, artifactType);
    }
}
