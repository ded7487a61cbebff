package dev.recast.migrate;

import dev.recast.registry.http.RegistryListing;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/** Lists the tags a migration takes: repositories from the catalog (or the user's list), their tags, filtered. */
final class SourceTags {

    /** One tag to migrate. */
    record SourceTag(String repository, String tag) {
    }

    private final RegistryListing listing;
    private final SourceFilter filter;

    SourceTags(RegistryListing listing, SourceFilter filter) {
        this.listing = listing;
        this.filter = filter;
    }

    /** @param listed the repositories to look at when the catalog is disabled, or null to read the catalog */
    List<SourceTag> list(List<String> listed) {
        List<SourceTag> taken = new ArrayList<>();
        for (String repository : new LinkedHashSet<>(listed != null ? listed : listing.repositories())) {
            if (filter.takesRepository(repository)) {
                filter.tags(repository, listing.tags(repository)).forEach(tag -> taken.add(new SourceTag(repository, tag)));
            }
        }
        return taken;
    }
}
