package dev.recast.registry.referrers;

import java.util.List;

/**
 * What {@link ReferrerDiscovery#survey} found attached to one manifest: the referrers whose own manifest says they
 * refer to it, and what was listed but is not taken (a tag anyone who can push to the repository can write).
 */
public record DiscoveredReferrers(List<Referrer> accepted, List<RejectedReferrer> rejected) {
    public DiscoveredReferrers {
        accepted = List.copyOf(accepted);
        rejected = List.copyOf(rejected);
    }
}
