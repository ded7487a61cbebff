package dev.recast.registry.referrers;

import dev.recast.model.Digest;

import java.util.regex.Pattern;

/**
 * The tags referrers live under when a registry has no referrers API: the image-spec fallback tag
 * {@code <alg>-<hex>} (an index of referrers) and cosign's tag scheme {@code <alg>-<hex>.sig|.att|.sbom}.
 */
public final class ReferrerTags {
    /** Every such tag for a sha256 subject: never an image of its own, never a conversion source. */
    private static final Pattern REFERRER_TAG = Pattern.compile("sha256-[0-9a-f]{64}(\\.sig|\\.att|\\.sbom)?");

    private ReferrerTags() {
    }

    /** The image-spec fallback tag: the digest with {@code :} replaced by {@code -}. */
    public static String fallback(Digest subject) {
        return subject.algorithm() + "-" + subject.hex();
    }

    /** A cosign tag: {@code suffix} is {@code sig}, {@code att} or {@code sbom}. */
    public static String cosign(Digest subject, String suffix) {
        return fallback(subject) + "." + suffix;
    }

    public static boolean isReferrerTag(String tag) {
        return tag != null && REFERRER_TAG.matcher(tag).matches();
    }
}
