package dev.recast.registry.http;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.model.Content;
import dev.recast.model.Descriptor;
import dev.recast.model.Digest;
import dev.recast.model.ImageManifest;
import dev.recast.model.Index;
import dev.recast.model.MediaType;

import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET /v2/<name>/referrers/<digest>[?artifactType=…]} (distribution-spec 1.1): an OCI index of the manifests
 * whose subject is the digest, page by page ({@code Link}). A registry with the API never answers 404, so a 404 means
 * "no API here": the caller reads the fallback tag instead.
 */
final class ReferrersLister {
    /**
     * Most referrers of one subject, and most pages followed for them: as many as one index may list
     * ({@code recast.limits.index-entries}' default), so a registry linking page after distinct page cannot keep
     * Recast reading (and holding entries) without end.
     */
    static final int MAX_ENTRIES = 1024;
    static final int MAX_PAGES = 64;
    private final RemoteRepository repository;

    ReferrersLister(RemoteRepository repository) {
        this.repository = repository;
    }

    Optional<List<Descriptor>> list(Digest subject, String artifactType) {
        RegistryEndpointCaller caller = repository.caller();
        String action = "GET referrers of " + repository.name() + "@" + subject;
        String query = artifactType == null ? "" : "?artifactType=" + URLEncoder.encode(artifactType, StandardCharsets.UTF_8);
        URI first = repository.url("referrers/" + subject + query);
        List<Descriptor> found = new ArrayList<>();
        Set<URI> seen = new HashSet<>();
        for (URI page = first; page != null; ) {
            if (seen.size() == MAX_PAGES) {
                throw new RecastException(ErrorKind.TOO_LARGE, action + ": registry " + caller.registry()
                        + " links more than " + MAX_PAGES + " pages of referrers: Recast stops there");
            }
            if (!seen.add(page)) {
                throw new RecastException(ErrorKind.UPSTREAM, action + ": registry " + caller.registry()
                        + " links back to a page it already gave");
            }
            HttpResponse<InputStream> response = caller.sendAllowing(new RegistryCall("GET", page,
                    Map.of("Accept", MediaType.OCI_INDEX.value()), null, repository.pull(), true, action), Set.of(200),
                    page == first ? Set.of(404) : Set.of());
            if (response.statusCode() == 404) {
                RegistryFailure.drain(response);
                return Optional.empty();
            }
            found.addAll(read(response, caller.settings().manifestLimit(), action).manifests());
            if (found.size() > MAX_ENTRIES) {
                throw new RecastException(ErrorKind.TOO_LARGE, action + ": registry " + caller.registry()
                        + " lists more than " + MAX_ENTRIES + " referrers: Recast stops there");
            }
            page = new PagedList(caller).next(page, response, action).orElse(null);
        }
        return Optional.of(found);
    }

    private static Index read(HttpResponse<InputStream> response, long limit, String action) {
        byte[] bytes = ManifestPuller.readBounded(response, limit, action);
        if (!(ImageManifest.parse(Content.of(MediaType.OCI_INDEX, bytes)) instanceof Index index)) {
            throw new RecastException(ErrorKind.UPSTREAM, action + ": the registry answered with something other than "
                    + "an index");
        }
        return index;
    }
}
