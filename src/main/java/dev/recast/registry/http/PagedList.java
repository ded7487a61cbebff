package dev.recast.registry.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recast.ErrorKind;
import dev.recast.RecastException;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A paginated registry listing ({@code _catalog}, {@code tags/list}): asks for {@code n} names a page and follows the
 * {@code Link: <…>; rel="next"} header until there is none (a short page is not the end). A next page on another
 * origin is refused: the host policy and the registry's credentials hold for its own origin only.
 */
final class PagedList {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NEXT = Pattern.compile("<([^>]*)>\\s*;[^,]*rel=\"?next\"?");
    /** Each page is read into memory: a registry cannot make one page unbounded. */
    private static final int PAGE_BYTES = 4 << 20;
    /**
     * Most pages followed and names kept: a registry that links page after distinct page must not keep Recast
     * listing (and holding names) without end. Far above any real catalog or tag list.
     */
    static final int MAX_PAGES = 1_000;
    static final int MAX_NAMES = 100_000;

    private final RegistryEndpointCaller caller;

    PagedList(RegistryEndpointCaller caller) {
        this.caller = caller;
    }

    /**
     * Every name of the list {@code field} of each page, from {@code first} on; empty when the first page answers 404
     * and {@code absentIsEmpty} (a repository without tags).
     */
    List<String> names(URI first, String field, List<String> scopes, String action, boolean absentIsEmpty) {
        List<String> names = new ArrayList<>();
        Set<URI> seen = new HashSet<>();
        for (URI page = first; page != null; ) {
            if (seen.size() == MAX_PAGES) {
                throw new RecastException(ErrorKind.TOO_LARGE, action + ": registry " + caller.registry()
                        + " links more than " + MAX_PAGES + " pages: Recast stops there");
            }
            if (!seen.add(page)) {
                throw new RecastException(ErrorKind.UPSTREAM, "registry " + caller.registry() + " links " + action
                        + " back to a page it already gave (" + page.getRawPath() + "?" + page.getRawQuery() + ")");
            }
            HttpResponse<InputStream> response = caller.sendAllowing(new RegistryCall("GET", page,
                    Map.of("Accept", "application/json"), null, scopes, true, action), Set.of(200),
                    absentIsEmpty && page == first ? Set.of(404) : Set.of());
            if (response.statusCode() == 404) {
                RegistryFailure.drain(response);
                return List.of();
            }
            JsonNode body = read(response, action);
            if (names.size() + body.path(field).size() > MAX_NAMES) {
                throw new RecastException(ErrorKind.TOO_LARGE, action + ": registry " + caller.registry()
                        + " lists more than " + MAX_NAMES + " names: Recast stops there");
            }
            body.path(field).forEach(name -> names.add(name.asText()));
            page = next(page, response, action).orElse(null);
        }
        return names;
    }

    /** The page a {@code Link: <…>; rel="next"} header names, on the registry's own origin only. */
    Optional<URI> next(URI current, HttpResponse<InputStream> response, String action) {
        for (String link : response.headers().allValues("Link")) {
            Matcher matcher = NEXT.matcher(link);
            if (matcher.find()) {
                URI next = current.resolve(matcher.group(1).trim());
                if (!caller.origin().isOwn(next)) {
                    throw new RecastException(ErrorKind.UPSTREAM, "registry " + caller.registry() + " links the next "
                            + "page of " + action + " to " + caller.origin().describe(next) + ": Recast follows pages on the "
                            + "registry's own origin only");
                }
                return Optional.of(next);
            }
        }
        return Optional.empty();
    }

    private JsonNode read(HttpResponse<InputStream> response, String action) {
        try (InputStream in = response.body()) {
            byte[] bytes = in.readNBytes(PAGE_BYTES + 1);
            if (bytes.length > PAGE_BYTES) {
                throw new RecastException(ErrorKind.TOO_LARGE, action + ": a page of registry " + caller.registry()
                        + " is over " + PAGE_BYTES + " bytes");
            }
            JsonNode body = JSON.readTree(bytes);
            if (body == null || !body.isObject()) {
                throw new RecastException(ErrorKind.UPSTREAM, action + ": registry " + caller.registry()
                        + " answered with something other than a JSON object");
            }
            return body;
        } catch (IOException e) {
            throw new RecastException(ErrorKind.UPSTREAM, action + ": registry " + caller.registry()
                    + " answered with unreadable JSON: " + e.getMessage(), e);
        }
    }
}
