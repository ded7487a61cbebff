package dev.recast.registry.http;

import java.util.List;

/** What a registry holds: its repositories (the catalog) and each one's tags, every page read. */
public interface RegistryListing {

    /** Every repository the catalog names, in the registry's order. */
    List<String> repositories();

    /** Every tag of a repository, in the registry's order; none when it has none or does not exist. */
    List<String> tags(String repository);

    /** The listing of the registry {@code caller} talks to, asking for {@code pageSize} names a request. */
    static RegistryListing of(RegistryEndpointCaller caller, int pageSize) {
        if (pageSize < 1) {
            throw new IllegalArgumentException("a page holds at least one name, not " + pageSize);
        }
        return new RegistryListing() {
            @Override
            public List<String> repositories() {
                return new CatalogLister(caller, pageSize).repositories();
            }

            @Override
            public List<String> tags(String repository) {
                return new TagLister(new RemoteRepository(caller, repository), pageSize).tags();
            }
        };
    }
}
