package dev.recast.convert;

import dev.recast.model.Content;
import dev.recast.model.Digest;

import java.util.Map;
import java.util.Optional;

/**
 * Images of a list or index that earlier runs already converted (a per-platform fan-out), by the digest of the
 * source image each was made from. A run uses one only when it is that source's result under the same options and
 * all its blobs are in the target; otherwise it converts the image itself.
 */
public record ConvertedParts(Map<Digest, Content> bySource) {
    public static final ConvertedParts NONE = new ConvertedParts(Map.of());

    public ConvertedParts {
        bySource = Map.copyOf(bySource);
    }

    Optional<Content> of(Digest source) {
        return Optional.ofNullable(bySource.get(source));
    }
}
