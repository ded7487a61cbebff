package dev.recast.inspect;

import dev.recast.model.Digest;
import dev.recast.model.MediaType;
import dev.recast.model.Platform;
import dev.recast.provenance.ProvenanceSummary;

import java.util.List;

/**
 * What an image is: its media type and digest, and per platform its layers' compression and whether it already is
 * OCI + zstd; {@code sourceDigest} names the image Recast converted it from, when Recast made it, and
 * {@code provenance} summarises the provenance Recast attached to it then (null when there is none).
 */
public record ImageInspection(String reference, MediaType mediaType, Digest digest, boolean ociZstd,
                              Digest sourceDigest, String conversion, List<PlatformImage> platforms,
                              ProvenanceSummary provenance) {

    /** The bytes of all layers of all platforms, as stored: what a conversion has to read. */
    public long layerBytes() {
        return platforms.stream().flatMap(p -> p.layers().stream()).mapToLong(Layer::size).sum();
    }

    public record PlatformImage(Platform platform, MediaType mediaType, Digest digest, boolean ociZstd,
                                Digest sourceDigest, String note, List<Layer> layers) {
    }

    public record Layer(MediaType mediaType, Digest digest, long size, String compression) {
    }
}
