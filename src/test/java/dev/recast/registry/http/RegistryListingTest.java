package dev.recast.registry.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.recast.ErrorKind;
import dev.recast.RecastException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Catalog and tag pages from a small real HTTP server: every page read, Links followed on the registry's origin only. */
class RegistryListingTest {
    private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();

    /** Answers each "path?query" with a body and, when given, a Link header; anything else is a 404. */
    private HttpServer serve(Map<String, String[]> pages) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> answer(exchange, pages));
            server.start();
            servers.add(server);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void answer(HttpExchange exchange, Map<String, String[]> pages) throws IOException {
        String asked = exchange.getRequestURI().toString();
        requests.add(exchange.getLocalAddress().getPort() + " " + asked);
        String[] page = pages.get(asked);
        byte[] body = (page == null ? "{\"errors\":[{\"code\":\"NAME_UNKNOWN\"}]}" : page[0]).getBytes(StandardCharsets.UTF_8);
        if (page != null && page.length > 1) {
            exchange.getResponseHeaders().add("Link", page[1]);
        }
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(page == null ? 404 : 200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private static String host(HttpServer server) {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    private static RegistryListing listing(String host, int pageSize) {
        RegistrySettings settings = RegistrySettings.defaults().withInsecureHosts(Set.of(host));
        return RegistryListing.of(new RegistryEndpointCaller(host, settings, HttpClient.newHttpClient(),
                new TransferCounters()), pageSize);
    }

    @AfterEach
    void stop() {
        servers.forEach(server -> server.stop(0));
    }

    @Test
    void readsEveryCatalogPageFollowingLinksEvenAfterAShortPage() {
        HttpServer registry = serve(Map.of(
                "/v2/_catalog?n=2", new String[]{"{\"repositories\":[\"a\",\"b\"]}", "</v2/_catalog?last=b&n=2>; rel=\"next\""},
                // a short page is not the end while a Link follows
                "/v2/_catalog?last=b&n=2", new String[]{"{\"repositories\":[\"c\"]}", "</v2/_catalog?last=c&n=2>; rel=next"},
                "/v2/_catalog?last=c&n=2", new String[]{"{\"repositories\":[\"d/e\"]}"}));
        assertEquals(List.of("a", "b", "c", "d/e"), listing(host(registry), 2).repositories());
        assertEquals(3, requests.size(), requests.toString());
    }

    @Test
    void readsTagPagesAndAnAbsentRepositoryHasNoTags() {
        HttpServer registry = serve(Map.of(
                "/v2/team/app/tags/list?n=1", new String[]{"{\"name\":\"team/app\",\"tags\":[\"v1\"]}",
                        "</v2/team/app/tags/list?n=1&last=v1>; rel=\"next\""},
                "/v2/team/app/tags/list?n=1&last=v1", new String[]{"{\"name\":\"team/app\",\"tags\":[\"v2\"]}"},
                "/v2/empty/tags/list?n=1", new String[]{"{\"name\":\"empty\",\"tags\":null}"}));
        RegistryListing listing = listing(host(registry), 1);
        assertEquals(List.of("v1", "v2"), listing.tags("team/app"));
        assertEquals(List.of(), listing.tags("empty"));
        assertEquals(List.of(), listing.tags("gone"));
    }

    @Test
    void refusesANextPageOnAnotherOrigin() {
        HttpServer elsewhere = serve(Map.of("/v2/_catalog?last=b&n=2", new String[]{"{\"repositories\":[\"stolen\"]}"}));
        HttpServer registry = serve(Map.of("/v2/_catalog?n=2", new String[]{"{\"repositories\":[\"a\",\"b\"]}",
                "<http://" + host(elsewhere) + "/v2/_catalog?last=b&n=2>; rel=\"next\""}));
        RecastException refused = assertThrows(RecastException.class, () -> listing(host(registry), 2).repositories());
        assertEquals(ErrorKind.UPSTREAM, refused.kind());
        assertTrue(refused.getMessage().contains("own origin"), refused.getMessage());
        assertTrue(requests.stream().noneMatch(r -> r.startsWith(elsewhere.getAddress().getPort() + " ")), requests.toString());
    }

    @Test
    void refusesALinkBackToAPageAlreadyRead() {
        HttpServer registry = serve(Map.of(
                "/v2/_catalog?n=1", new String[]{"{\"repositories\":[\"a\"]}", "</v2/_catalog?last=a&n=1>; rel=\"next\""},
                "/v2/_catalog?last=a&n=1", new String[]{"{\"repositories\":[\"b\"]}", "</v2/_catalog?n=1>; rel=\"next\""}));
        RecastException loop = assertThrows(RecastException.class, () -> listing(host(registry), 1).repositories());
        assertEquals(ErrorKind.UPSTREAM, loop.kind());
        assertEquals(2, requests.size(), requests.toString());
    }

    @Test
    void aCatalogThatIsDisabledIsAnError() {
        HttpServer registry = serve(Map.of());
        RecastException missing = assertThrows(RecastException.class, () -> listing(host(registry), 5).repositories());
        assertEquals(ErrorKind.NOT_FOUND, missing.kind(), missing.getMessage());
    }
}
