package dev.recast.registry.referrers;

import dev.recast.model.Digest;

/**
 * Something a store lists as attached to an image that Recast does not take as a referrer of it: its manifest is
 * missing, unreadable or names another subject, or the fallback tag holds no index. Reported, never carried.
 *
 * @param subject the digest it was listed for
 * @param digest  the manifest listed (or the one the fallback tag holds)
 * @param foundIn where it was listed
 * @param reason  why it was not taken, for people
 */
public record RejectedReferrer(Digest subject, Digest digest, ReferrerSource foundIn, String reason) {
}
