package dev.recast.registry.http;

import java.util.List;

/** {@code GET /v2/<name>/tags/list?n=<page>}: every tag of one repository, page by page; none when it has none. */
final class TagLister {
    private final RemoteRepository repository;
    private final int pageSize;

    TagLister(RemoteRepository repository, int pageSize) {
        this.repository = repository;
        this.pageSize = pageSize;
    }

    List<String> tags() {
        return new PagedList(repository.caller()).names(repository.url("tags/list?n=" + pageSize), "tags",
                repository.pull(), "GET tags of " + repository.name(), true);
    }
}
