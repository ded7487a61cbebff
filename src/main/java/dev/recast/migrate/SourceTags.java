package dev.recast.migrate;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.registry.http.RegistryListing;
import dev.recast.registry.reference.RegistryReference;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/** Lists the tags a migration takes: repositories from the catalog (or the user's list), their tags, filtered. */
final class SourceTags {

    /** One tag to migrate. */
    record SourceTag(String repository, String tag) {
    }

    private final String registry;
    private final RegistryListing listing;
    private final SourceFilter filter;

    SourceTags(String registry, RegistryListing listing, SourceFilter filter) {
        this.registry = registry;
        this.listing = listing;
        this.filter = filter;
    }

    /** @param listed the repositories to look at when the catalog is disabled, or null to read the catalog */
    List<SourceTag> list(List<String> listed) {
        List<SourceTag> taken = new ArrayList<>();
        for (String repository : new LinkedHashSet<>(listed != null ? listed : catalog())) {
            if (filter.takesRepository(repository)) {
                checkName(repository, listed != null);
                filter.tags(repository, listing.tags(repository)).forEach(tag -> taken.add(new SourceTag(repository, tag)));
            }
        }
        return taken;
    }

    private List<String> catalog() {
        try {
            return listing.repositories();
        } catch (RecastException e) {
            if (e.kind() != ErrorKind.NOT_FOUND && e.kind() != ErrorKind.UNSUPPORTED) {
                throw e;
            }
            throw new RecastException(e.kind(), "registry " + registry + " offers no catalog to list its repositories ("
                    + e.detail() + "): give them as a list instead", e);
        }
    }

    /** A name that is not a repository's never becomes part of a request path (no "..", no "?"). */
    private void checkName(String repository, boolean givenByUser) {
        try {
            new RegistryReference(registry, repository, null, null);
        } catch (RecastException e) {
            throw givenByUser ? e : new RecastException(ErrorKind.UPSTREAM, "the catalog of registry " + registry
                    + " names '" + repository + "', which is not a repository name", e);
        }
    }
}
