package dev.recast.convert;

import dev.recast.model.Digest;
import dev.recast.registry.referrers.ReferrerKind;
import dev.recast.registry.referrers.ReferrerSource;

/**
 * One thing attached to the source (or to an image of its index), and what the conversion did with it.
 *
 * @param subject the source manifest it is attached to
 * @param copy    the new referrer attached to the converted manifest ({@code COPIED}, or {@code PLANNED} in a dry run)
 * @param note    why, for people: "source signed (cosign, …), converted image unsigned"
 */
public record ReferrerReport(Digest subject, ReferrerKind kind, Digest digest, String artifactType,
                             ReferrerSource foundIn, Action action, Digest copy, String note) {

    public enum Action {
        /** Re-attached to the converted manifest. */
        COPIED,
        /** A dry run: would be re-attached. */
        PLANNED,
        /** Listed only: a signature (it signs the old digest), or {@code --referrers report}. */
        REPORTED,
        /** Not carried: an artifact type Recast does not know to be an SBOM or attestation. */
        SKIPPED
    }
}
