package dev.recast.provenance;

import dev.recast.model.Digest;
import dev.recast.model.MediaType;

import java.util.List;

/**
 * What Recast records about one converted manifest (an image, or an index), as read back from its provenance
 * statement: enough for a third party to re-check the conversion without trusting Recast.
 *
 * @param target         the reference written, e.g. {@code registry.example.com/app:v1-oci}
 * @param subject        the converted manifest (or index) this provenance is about
 * @param source         the reference converted, as given
 * @param sourceDigest   what that reference named when it was converted (an index when the source was one)
 * @param sourceManifest the source manifest this converted one was made from (for an index's child: the child)
 * @param options        how it was converted, as {@code ConversionOptions.label()} spells it ({@code zstd:3})
 * @param recastVersion  the Recast version that converted it
 * @param config         the image's config (the same blob before and after); null for an index
 * @param layers         each layer, source blob to converted blob; empty for an index
 * @param manifests      for an index: each converted child, source to converted; empty for an image
 */
public record ConversionProvenance(String target, Digest subject, MediaType subjectMediaType, String source,
                                   Digest sourceDigest, Digest sourceManifest, MediaType sourceMediaType,
                                   String options, String recastVersion, Digest config, List<LayerLink> layers,
                                   List<ManifestLink> manifests) {

    public ConversionProvenance {
        layers = layers == null ? List.of() : List.copyOf(layers);
        manifests = manifests == null ? List.of() : List.copyOf(manifests);
    }

    /**
     * One layer: the source blob, the converted blob, and the digest of the tar both hold.
     *
     * @param action what Recast did ({@code RECOMPRESSED}, {@code COPIED}, …)
     */
    public record LayerLink(int index, Digest source, MediaType sourceMediaType, Digest converted,
                            MediaType convertedMediaType, long convertedSize, Digest diffId, String action) {
    }

    /** One child of a converted index: the source manifest and the converted one, and its platform. */
    public record ManifestLink(String platform, Digest source, Digest converted) {
    }
}
