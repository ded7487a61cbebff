package dev.recast.registry.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.model.Digest;
import dev.recast.model.MediaType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A hostile registry whose every page links a new, distinct next page (so the "page seen before" check never fires):
 * catalog, tag and referrer listings stop at their caps with TOO_LARGE instead of listing until memory runs out.
 */
class EndlessListingTest {
    private final AtomicInteger requests = new AtomicInteger();
    /** How many names (or referrers) each page lists. */
    private volatile int perPage;
    private final HttpServer server = start();

    private HttpServer start() {
        try {
            HttpServer started = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            started.createContext("/", this::answer);
            started.start();
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        int n = requests.incrementAndGet();
        String path = exchange.getRequestURI().getPath();
        StringBuilder body = new StringBuilder();
        String type = "application/json";
        if (path.contains("/referrers/")) {
            type = MediaType.OCI_INDEX.value();
            body.append("{\"schemaVersion\":2,\"mediaType\":\"").append(type).append("\",\"manifests\":[");
            for (int i = 0; i < perPage; i++) {
                Digest digest = Digest.sha256((n + "/" + i).getBytes(StandardCharsets.UTF_8));
                body.append(i == 0 ? "" : ",").append("{\"mediaType\":\"").append(MediaType.OCI_MANIFEST.value())
                        .append("\",\"digest\":\"").append(digest).append("\",\"size\":2,\"artifactType\":\"application/spdx+json\"}");
            }
            body.append("]}");
        } else {
            body.append(path.endsWith("_catalog") ? "{\"repositories\":[" : "{\"name\":\"app\",\"tags\":[");
            for (int i = 0; i < perPage; i++) {
                body.append(i == 0 ? "" : ",").append("\"n").append(n).append('-').append(i).append('"');
            }
            body.append("]}");
        }
        exchange.getResponseHeaders().add("Link", "<" + path + "?page=" + n + ">; rel=\"next\"");
        exchange.getResponseHeaders().add("Content-Type", type);
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private RegistryEndpointCaller caller() {
        String host = "127.0.0.1:" + server.getAddress().getPort();
        return new RegistryEndpointCaller(host, RegistrySettings.defaults().withInsecureHosts(Set.of(host)),
                HttpClient.newHttpClient(), new TransferCounters());
    }

    @Test
    void endlessEmptyCatalogPagesStopAtThePageCap() {
        perPage = 0;
        RecastException e = assertThrows(RecastException.class, () -> RegistryListing.of(caller(), 100).repositories());
        assertEquals(ErrorKind.TOO_LARGE, e.kind());
        assertEquals(PagedList.MAX_PAGES, requests.get());
        assertTrue(e.getMessage().contains("127.0.0.1:" + server.getAddress().getPort()), e.getMessage());
    }

    @Test
    void endlessFullTagPagesStopAtTheNameCap() {
        perPage = 40_000;
        RecastException e = assertThrows(RecastException.class, () -> RegistryListing.of(caller(), 100).tags("app"));
        assertEquals(ErrorKind.TOO_LARGE, e.kind());
        assertEquals(3, requests.get(), "the third page would pass " + PagedList.MAX_NAMES + " names");
    }

    @Test
    void endlessReferrerPagesStopAtThePageCap() {
        perPage = 0;
        RegistryStore store = new RegistryStore(caller(), "app");
        Digest subject = Digest.sha256("subject".getBytes(StandardCharsets.UTF_8));
        RecastException e = assertThrows(RecastException.class, () -> store.findReferrers(subject, null));
        assertEquals(ErrorKind.TOO_LARGE, e.kind());
        assertEquals(ReferrersLister.MAX_PAGES, requests.get());
        assertTrue(e.getMessage().contains("/app@" + subject), e.getMessage());
    }

    @Test
    void endlessReferrerEntriesStopAtTheEntryCap() {
        perPage = 300;
        RegistryStore store = new RegistryStore(caller(), "app");
        Digest subject = Digest.sha256("subject".getBytes(StandardCharsets.UTF_8));
        RecastException e = assertThrows(RecastException.class, () -> store.findReferrers(subject, null));
        assertEquals(ErrorKind.TOO_LARGE, e.kind());
        assertEquals(4, requests.get(), "the fourth page passes " + ReferrersLister.MAX_ENTRIES + " referrers");
    }
}
