package dev.recast.inspect;

import dev.recast.model.Digest;
import dev.recast.model.MediaType;
import dev.recast.model.Platform;
import dev.recast.provenance.ProvenanceSummary;
import dev.recast.registry.referrers.ReferrerKind;
import dev.recast.registry.referrers.ReferrerSource;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an image is: its media type and digest, and per platform its layers' compression and whether it already is
 * OCI + zstd; {@code sourceDigest} names the image Recast converted it from, when Recast made it; {@code referrers}
 * what is attached to it and to each of its images (signatures, attestations, SBOMs, other artifacts), by kind, when
 * they were looked for; {@code provenance} summarises the provenance Recast attached to it when it converted it
 * (null when there is none, or when referrers were not looked for).
 */
public record ImageInspection(String reference, MediaType mediaType, Digest digest, boolean ociZstd,
                              Digest sourceDigest, String conversion, List<PlatformImage> platforms,
                              Map<ReferrerKind, List<AttachedReferrer>> referrers, ProvenanceSummary provenance) {

    public ImageInspection {
        referrers = referrers == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(referrers));
    }

    /** An inspection that did not look for referrers. */
    public ImageInspection(String reference, MediaType mediaType, Digest digest, boolean ociZstd, Digest sourceDigest,
                           String conversion, List<PlatformImage> platforms) {
        this(reference, mediaType, digest, ociZstd, sourceDigest, conversion, platforms, Map.of(), null);
    }

    public ImageInspection withReferrers(Map<ReferrerKind, List<AttachedReferrer>> found) {
        return new ImageInspection(reference, mediaType, digest, ociZstd, sourceDigest, conversion, platforms, found,
                provenance);
    }

    public ImageInspection withProvenance(ProvenanceSummary found) {
        return new ImageInspection(reference, mediaType, digest, ociZstd, sourceDigest, conversion, platforms,
                referrers, found);
    }

    /** The bytes of all layers of all platforms, as stored: what a conversion has to read. */
    public long layerBytes() {
        return platforms.stream().flatMap(p -> p.layers().stream()).mapToLong(Layer::size).sum();
    }

    public record PlatformImage(Platform platform, MediaType mediaType, Digest digest, boolean ociZstd,
                                Digest sourceDigest, String note, List<Layer> layers) {
    }

    public record Layer(MediaType mediaType, Digest digest, long size, String compression) {
    }

    /** One thing attached to the image ({@code subject}: the image itself or one of its platform images). */
    public record AttachedReferrer(Digest subject, Digest digest, String artifactType, ReferrerSource foundIn) {
    }
}
