package dev.recast.registry.referrers;

import java.util.Locale;

/**
 * What a referrer is, from its artifact type or the media types of its manifest: what can be carried to a converted
 * image (SBOMs, attestations) and what cannot (signatures sign the old digest).
 */
public enum ReferrerKind {
    SIGNATURE, ATTESTATION, SBOM, OTHER;

    /**
     * Classifies one media or artifact type: cosign simple signing and its OCI 1.1 signature artifact, Notary v2 and
     * sigstore bundles are signatures; in-toto statements and DSSE envelopes attestations; SPDX, CycloneDX and Syft
     * documents SBOMs. Null or anything else is {@link #OTHER}.
     */
    public static ReferrerKind of(String type) {
        if (type == null) {
            return OTHER;
        }
        String t = type.toLowerCase(Locale.ROOT);
        if (t.contains("cosign.simplesigning") || t.contains("cosign.artifact.sig") || t.contains("notary.signature")
                || t.contains("sigstore.bundle")) {
            return SIGNATURE;
        }
        if (t.contains("in-toto") || t.contains("dsse.envelope") || t.contains("cosign.artifact.att")) {
            return ATTESTATION;
        }
        if (t.contains("spdx") || t.contains("cyclonedx") || t.contains("syft") || t.contains("cosign.artifact.sbom")) {
            return SBOM;
        }
        return OTHER;
    }

    /** The first of several types that says anything; {@link #OTHER} when none does. */
    public static ReferrerKind ofAny(Iterable<String> types) {
        for (String type : types) {
            ReferrerKind kind = of(type);
            if (kind != OTHER) {
                return kind;
            }
        }
        return OTHER;
    }
}
