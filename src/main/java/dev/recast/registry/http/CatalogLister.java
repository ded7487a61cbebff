package dev.recast.registry.http;

import java.util.List;

/** {@code GET /v2/_catalog?n=<page>}: every repository of a registry, page by page. */
final class CatalogLister {
    private final RegistryEndpointCaller caller;
    private final int pageSize;

    CatalogLister(RegistryEndpointCaller caller, int pageSize) {
        this.caller = caller;
        this.pageSize = pageSize;
    }

    List<String> repositories() {
        return new PagedList(caller).names(caller.url("_catalog?n=" + pageSize), "repositories", List.of("registry:catalog:*"),
                "GET catalog of " + caller.registry(), false);
    }
}
