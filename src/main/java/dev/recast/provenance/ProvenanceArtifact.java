package dev.recast.provenance;

import dev.recast.model.Descriptor;
import dev.recast.model.Manifest;
import dev.recast.model.MediaType;
import dev.recast.registry.referrers.ReferrerArtifact;

import java.util.List;
import java.util.Map;

/**
 * A provenance statement as an OCI 1.1 artifact: artifactType {@value #ARTIFACT_TYPE}, the empty config, the
 * statement as its one layer, and as {@code subject} the converted manifest it is about, so that referrers
 * discovery from the converted digest finds it.
 */
public final class ProvenanceArtifact {
    public static final String ARTIFACT_TYPE = "application/vnd.in-toto+json";
    public static final MediaType STATEMENT_TYPE = MediaType.of(ARTIFACT_TYPE);
    /** Marks the artifacts Recast records, so that its own pushes are known (a webhook must not convert them). */
    public static final String RECAST_ARTIFACT = "dev.recast.artifact";
    static final String PREDICATE_ANNOTATION = "in-toto.io/predicate-type";

    private ProvenanceArtifact() {
    }

    /** The artifact recording {@code statement} about {@code subject}. */
    public static ReferrerArtifact of(Descriptor subject, byte[] statement) {
        return new ReferrerArtifact(new Descriptor(subject.mediaType(), subject.digest(), subject.size()),
                ARTIFACT_TYPE, List.of(new ReferrerArtifact.Payload(STATEMENT_TYPE, statement,
                Map.of(PREDICATE_ANNOTATION, ProvenanceStatement.PREDICATE_TYPE))), Map.of(RECAST_ARTIFACT, "provenance"));
    }

    /** True for an artifact manifest {@link #of} makes. */
    public static boolean isProvenance(Manifest manifest) {
        return ARTIFACT_TYPE.equals(manifest.artifactType()) && manifest.layers().size() == 1
                && manifest.layers().getFirst().mediaType().equals(STATEMENT_TYPE);
    }
}
