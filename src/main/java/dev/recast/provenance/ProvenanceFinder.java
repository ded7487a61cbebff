package dev.recast.provenance;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.model.Descriptor;
import dev.recast.model.Digest;
import dev.recast.model.ImageManifest;
import dev.recast.model.Manifest;
import dev.recast.registry.referrers.Referrer;
import dev.recast.registry.referrers.ReferrerDiscovery;
import dev.recast.registry.store.ImageStore;
import dev.recast.stream.VerifyingInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Finds the Recast provenance of a manifest among its referrers. Other in-toto artifacts (attestations carried over
 * from a source, statements of other builders) are passed over. A converted image converted again carries its
 * source's provenance too, whose statement names the source: the ones whose statement names the manifest asked
 * about come first.
 */
public final class ProvenanceFinder {
    /** Statements are small; anything larger is not one of ours. */
    private static final long MOST_STATEMENT_BYTES = 4L << 20;
    private final ReferrerDiscovery discovery;

    public ProvenanceFinder(ReferrerDiscovery discovery) {
        this.discovery = discovery;
    }

    /** A provenance found: the artifact manifest that holds it, and what it says. */
    public record Found(Digest artifact, ConversionProvenance provenance) {
    }

    /** The Recast provenances attached to {@code subject}, those about {@code subject} itself first. */
    public List<Found> find(ImageStore store, Digest subject) {
        return among(store, subject, discovery.discover(store, subject, ProvenanceArtifact.ARTIFACT_TYPE));
    }

    /** As {@link #find}, among referrers of {@code subject} discovered already (of any type). */
    public List<Found> among(ImageStore store, Digest subject, List<Referrer> referrers) {
        List<Found> found = new ArrayList<>();
        for (Referrer referrer : referrers) {
            if (!ProvenanceArtifact.ARTIFACT_TYPE.equals(referrer.artifactType())) {
                continue;
            }
            ImageManifest manifest = ImageManifest.parse(store.requireManifest(referrer.digest().toString()));
            if (manifest instanceof Manifest artifact && ProvenanceArtifact.isProvenance(artifact)) {
                try {
                    found.add(new Found(referrer.digest(), ProvenanceStatement.read(statement(store, artifact),
                            "provenance " + referrer.digest() + " of " + store.name() + "@" + subject)));
                } catch (RecastException e) {
                    if (e.kind() != ErrorKind.UNSUPPORTED) {
                        throw e;
                    }
                    // an in-toto statement, but not a Recast conversion provenance: not ours to read
                }
            }
        }
        found.sort(Comparator.comparing(f -> !f.provenance().subject().equals(subject)));
        return found;
    }

    private static byte[] statement(ImageStore store, Manifest artifact) {
        Descriptor layer = artifact.layers().getFirst();
        try (InputStream in = store.openBlob(layer)) {
            return VerifyingInputStream.readAllVerified(in, layer.digest(), layer.size(), MOST_STATEMENT_BYTES,
                    "provenance statement " + layer.digest() + " in " + store.name());
        } catch (IOException e) {
            throw new RecastException(ErrorKind.IO, "cannot read provenance statement " + layer.digest() + " from "
                    + store.name() + ": " + e.getMessage(), e);
        }
    }
}
