package dev.recast.registry.referrers;

/** Where a referrer was found. */
public enum ReferrerSource {
    /** The registry's referrers API ({@code GET /v2/<name>/referrers/<digest>}). */
    API,
    /** The image-spec fallback tag {@code sha256-<hex>}, an index of referrers. */
    FALLBACK_TAG,
    /** A cosign tag {@code sha256-<hex>.sig|.att|.sbom}. */
    COSIGN_TAG
}
