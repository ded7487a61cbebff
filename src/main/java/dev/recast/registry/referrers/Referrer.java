package dev.recast.registry.referrers;

import dev.recast.model.Descriptor;
import dev.recast.model.Digest;

/**
 * One thing attached to an image.
 *
 * @param subject      the digest it refers to
 * @param descriptor   its manifest (digest, size, media type, annotations)
 * @param artifactType its artifact type, or for a cosign tag the media type of its payload; may be null
 * @param foundIn      where it was found
 * @param tag          the cosign tag it was found under, else null
 */
public record Referrer(Digest subject, Descriptor descriptor, String artifactType, ReferrerKind kind,
                       ReferrerSource foundIn, String tag) {

    public Digest digest() {
        return descriptor.digest();
    }
}
