package dev.recast.registry.referrers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.recast.model.Content;
import dev.recast.model.Descriptor;
import dev.recast.model.Digest;
import dev.recast.model.Manifest;
import dev.recast.model.MediaType;
import dev.recast.registry.http.RegistryEndpointCaller;
import dev.recast.registry.http.RegistrySettings;
import dev.recast.registry.http.RegistryStore;
import dev.recast.registry.http.TransferCounters;
import dev.recast.registry.store.ImageStore;
import dev.recast.testing.ReferrerFixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Against a small registry in this test that has the referrers API (distribution 2.8 in the lab has none): it answers
 * a manifest PUT with {@code OCI-Subject} and lists referrers one per page, linked with {@code Link}.
 */
class ReferrersApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, byte[]> manifests = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    /** Manifests the server lists as referrers of a subject whatever they say (a hostile referrers API). */
    private final Map<String, List<String>> claimed = new ConcurrentHashMap<>();
    private final HttpServer server = start();

    private HttpServer start() {
        try {
            HttpServer started = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            started.createContext("/", this::answer);
            started.start();
            return started;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String query = exchange.getRequestURI().getRawQuery();
        requests.add(exchange.getRequestMethod() + " " + path + (query == null ? "" : "?" + query));
        String manifestsPrefix = "/v2/app/manifests/";
        String referrersPrefix = "/v2/app/referrers/";
        if (exchange.getRequestMethod().equals("PUT") && path.startsWith(manifestsPrefix)) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            manifests.put(path.substring(manifestsPrefix.length()), body);
            manifests.put(Digest.sha256(body).toString(), body);
            if (JSON.readTree(body).has("subject")) {
                exchange.getResponseHeaders().add("OCI-Subject", JSON.readTree(body).path("subject").path("digest").asText());
            }
            send(exchange, 201, new byte[0], null);
        } else if (path.startsWith(manifestsPrefix) && manifests.containsKey(path.substring(manifestsPrefix.length()))) {
            send(exchange, 200, manifests.get(path.substring(manifestsPrefix.length())), MediaType.OCI_MANIFEST.value());
        } else if (path.startsWith(referrersPrefix)) {
            referrersPage(exchange, path.substring(referrersPrefix.length()), query);
        } else {
            send(exchange, 404, "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\"}]}".getBytes(StandardCharsets.UTF_8), null);
        }
    }

    /** One referrer a page: page {@code ?page=N}, the next one linked while there are more. */
    private void referrersPage(HttpExchange exchange, String subject, String query) throws IOException {
        List<JsonNode> referrers = new ArrayList<>();
        for (Map.Entry<String, byte[]> stored : manifests.entrySet()) {
            JsonNode manifest = JSON.readTree(stored.getValue());
            boolean claims = claimed.getOrDefault(subject, List.of()).contains(stored.getKey());
            if (Digest.isDigest(stored.getKey()) && (claims || subject.equals(manifest.path("subject").path("digest").asText()))) {
                referrers.add(JSON.createObjectNode().put("mediaType", MediaType.OCI_MANIFEST.value())
                        .put("digest", stored.getKey()).put("size", stored.getValue().length)
                        .put("artifactType", claims ? ReferrerFixtures.SPDX : manifest.path("artifactType").asText()));
            }
        }
        referrers.sort(java.util.Comparator.comparing(r -> r.path("digest").asText()));
        int page = query != null && query.startsWith("page=") ? Integer.parseInt(query.substring(5)) : 0;
        var index = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", MediaType.OCI_INDEX.value());
        var list = index.putArray("manifests");
        if (page < referrers.size()) {
            list.add(referrers.get(page));
        }
        if (page + 1 < referrers.size()) {
            exchange.getResponseHeaders().add("Link", "</v2/app/referrers/" + subject + "?page=" + (page + 1)
                    + ">; rel=\"next\"");
        }
        send(exchange, 200, JSON.writeValueAsBytes(index), MediaType.OCI_INDEX.value());
    }

    private static void send(HttpExchange exchange, int status, byte[] body, String type) throws IOException {
        if (type != null) {
            exchange.getResponseHeaders().add("Content-Type", type);
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
        exchange.close();
    }

    private ImageStore store() {
        String host = "127.0.0.1:" + server.getAddress().getPort();
        RegistrySettings settings = RegistrySettings.defaults().withInsecureHosts(Set.of(host));
        return new RegistryStore(new RegistryEndpointCaller(host, settings, HttpClient.newHttpClient(),
                new TransferCounters()), "app");
    }

    @Test
    void aRegistryWithTheApiIndexesReferrersItselfAndListsThemPageByPage() {
        ImageStore store = store();
        Content subject = Manifest.create(MediaType.OCI_MANIFEST, "application/vnd.example.subject",
                Content.OCI_EMPTY.descriptor(), List.of(), null, null).content();
        store.tag("v1", subject);
        Content sbom = ReferrerFixtures.sbom(subject.descriptor(), "app").manifest().content();
        Content signature = new ReferrerArtifact(subject.descriptor(), "application/vnd.dev.cosign.artifact.sig.v1+json",
                List.of(), Map.of()).manifest().content();

        ReferrerAttacher attacher = new ReferrerAttacher();
        assertEquals(ReferrerSource.API, attacher.attach(store, sbom).indexedBy());
        assertEquals(ReferrerSource.API, attacher.attach(store, signature).indexedBy());

        assertFalse(requests.stream().anyMatch(r -> r.startsWith("PUT") && r.contains("sha256-")),
                "no fallback tag written: " + requests);
        List<Referrer> found = new ReferrerDiscovery().discover(store, subject.digest());
        assertEquals(Set.of(sbom.digest(), signature.digest()), Set.copyOf(found.stream().map(Referrer::digest).toList()));
        assertTrue(found.stream().allMatch(r -> r.foundIn() == ReferrerSource.API));
        Map<Digest, ReferrerKind> kinds = new java.util.HashMap<>();
        found.forEach(r -> kinds.put(r.digest(), r.kind()));
        assertEquals(ReferrerKind.SBOM, kinds.get(sbom.digest()));
        assertEquals(ReferrerKind.SIGNATURE, kinds.get(signature.digest()));
        assertTrue(requests.contains("GET /v2/app/referrers/" + subject.digest() + "?page=1"), "followed the Link");
    }

    @Test
    void anArtifactTypeFilterIsSentAndAppliedEvenWhenTheRegistryIgnoresIt() {
        ImageStore store = store();
        Content subject = Manifest.create(MediaType.OCI_MANIFEST, "application/vnd.example.subject",
                Content.OCI_EMPTY.descriptor(), List.of(), null, null).content();
        store.putManifest(subject);
        Descriptor described = subject.descriptor();
        Content sbom = ReferrerFixtures.sbom(described, "app").manifest().content();
        new ReferrerAttacher().attach(store, sbom);
        new ReferrerAttacher().attach(store, new ReferrerArtifact(described, "application/vnd.example.other",
                List.of(), Map.of()).manifest().content());

        List<Referrer> sboms = new ReferrerDiscovery().discover(store, subject.digest(), ReferrerFixtures.SPDX);

        assertEquals(List.of(sbom.digest()), sboms.stream().map(Referrer::digest).toList());
        assertTrue(requests.contains("GET /v2/app/referrers/" + subject.digest() + "?artifactType=application%2Fspdx%2Bjson"),
                requests.toString());
    }

    @Test
    void aReferrerTheApiClaimsButWhoseManifestNamesNoSubjectIsRejected() {
        ImageStore store = store();
        Content subject = Manifest.create(MediaType.OCI_MANIFEST, "application/vnd.example.subject",
                Content.OCI_EMPTY.descriptor(), List.of(), null, null).content();
        store.putManifest(subject);
        Content anyImage = Manifest.create(MediaType.OCI_MANIFEST, null, Content.OCI_EMPTY.descriptor(),
                List.of(), null, null).content();
        store.putManifest(anyImage);
        claimed.put(subject.digest().toString(), List.of(anyImage.digest().toString()));

        DiscoveredReferrers found = new ReferrerDiscovery().survey(store, subject.digest());

        assertEquals(List.of(), found.accepted());
        assertEquals(List.of(anyImage.digest()), found.rejected().stream().map(RejectedReferrer::digest).toList());
        assertEquals(ReferrerSource.API, found.rejected().getFirst().foundIn());
        assertTrue(found.rejected().getFirst().reason().contains("names no subject"), found.rejected().toString());
    }
}
