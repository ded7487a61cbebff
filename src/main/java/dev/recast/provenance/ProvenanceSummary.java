package dev.recast.provenance;

import dev.recast.model.Digest;

/**
 * A provenance as inspection shows it: where it is, and what it says in short ({@code recast verify} checks it).
 *
 * @param artifact the artifact manifest that holds the statement
 * @param subject  the converted manifest the statement is about
 * @param layers   how many layers it maps (0 for an index)
 * @param images   how many converted images it lists (an index's; 0 for an image)
 */
public record ProvenanceSummary(Digest artifact, Digest subject, String source, Digest sourceDigest, String options,
                                String recastVersion, int layers, int images) {

    public static ProvenanceSummary of(ProvenanceFinder.Found found) {
        ConversionProvenance p = found.provenance();
        return new ProvenanceSummary(found.artifact(), p.subject(), p.source(), p.sourceManifest(), p.options(),
                p.recastVersion(), p.layers().size(), p.manifests().size());
    }
}
