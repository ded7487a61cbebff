package dev.recast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recast.testing.FaultProxy;
import dev.recast.testing.FleetImages;
import dev.recast.testing.LabRegistry;
import dev.recast.testing.RegistryImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code recast migrate} end to end against the lab registry, through a {@link FaultProxy} that logs every request:
 * 30 repositories × 2-3 tags, listed with a page size of 5, a dry run, half migrated (the interrupted run), then the
 * rest, then nothing left to do.
 */
@Tag("registry")
class MigrateCommandTest {
    private static final LabRegistry LAB = LabRegistry.plain();
    private static final String PREFIX = "fleet" + UUID.randomUUID().toString().substring(0, 6);
    private static final List<String> FIXTURES = List.of("fixtures/hello:v2s2", "fixtures/app:amd64", "fixtures/empty-layer:v2s2");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static FaultProxy proxy;
    private static FleetImages fleet;
    /** Each source tag, repository → tags. */
    private static final Map<String, List<String>> SOURCES = new TreeMap<>();

    @TempDir
    Path tmp;

    @BeforeAll
    static void seed() {
        proxy = new FaultProxy(LAB.host());
        fleet = new FleetImages(LAB);
        for (int i = 0; i < 30; i++) {
            String repository = PREFIX + "/app-" + String.format("%02d", i);
            List<String> tags = new ArrayList<>(List.of("v1", "v2"));
            if (i % 3 == 0) {
                tags.add("v3");
            }
            for (int t = 0; t < tags.size(); t++) {
                fleet.push(FIXTURES.get(t), repository, tags.get(t));
            }
            SOURCES.put(repository, tags);
        }
    }

    @AfterAll
    static void stopProxy() {
        proxy.close();
        fleet.close();
    }

    private static CliRun migrate(String... extra) {
        List<String> args = new ArrayList<>(List.of("migrate", "docker://" + proxy.host(), "--insecure", proxy.host(),
                "--page-size", "5"));
        args.addAll(List.of(extra));
        return CliRun.of(args);
    }

    @Test
    void migratesTheFleetResumablyWithPagination() throws Exception {
        int images = SOURCES.values().stream().mapToInt(List::size).sum();
        String all = PREFIX + "/**";

        // a dry run lists every image and writes nothing
        int before = proxy.requests().size();
        CliRun dry = migrate("--repository", all, "--dry-run", "--json");
        assertEquals(0, dry.code(), dry.err());
        JsonNode plan = JSON.readTree(dry.out());
        assertEquals(images, plan.path("totals").path("planned").asInt(), dry.out());
        assertEquals(30, plan.path("repositories").size());
        assertTrue(requestsSince(before).stream().allMatch(r -> r.startsWith("GET ") || r.startsWith("HEAD ")),
                "a dry run only reads: " + requestsSince(before));
        assertEquals(SOURCES, fleet.tags(SOURCES.keySet()), "the dry run changed tags");

        // "interrupted": the first ten repositories only
        CliRun first = migrate("--repository", PREFIX + "/app-0*", "--json", "--concurrency", "3");
        assertEquals(0, first.code(), first.err() + first.out());
        JsonNode firstReport = JSON.readTree(first.out());
        int firstImages = IntStream.range(0, 10).map(i -> i % 3 == 0 ? 3 : 2).sum();
        assertEquals(firstImages, firstReport.path("totals").path("converted").asInt(), first.out());

        // a converted image under a tag without the -oci shape: its annotation still marks it as Recast's
        LabRegistry.copy(LAB.host() + "/" + PREFIX + "/app-01:v1-oci", LAB.host() + "/" + PREFIX + "/app-01:copied");

        // the full run: only what is left is converted, and the catalog is read page by page
        before = proxy.requests().size();
        CliRun full = migrate("--repository", all, "--concurrency", "4");
        assertEquals(0, full.code(), full.err() + full.out());
        System.out.println(full.out());
        List<String> fullRequests = requestsSince(before);
        List<String> catalogPages = fullRequests.stream().filter(r -> r.startsWith("GET /v2/_catalog")).toList();
        assertTrue(catalogPages.size() >= 7, "30+ repositories at 5 a page: " + catalogPages);
        assertTrue(catalogPages.stream().skip(1).allMatch(r -> r.contains("last=")), catalogPages.toString());
        // distribution 2.8 answers a tag list whole, without Link, whatever n asks: tag pages are RegistryListingTest's
        assertTrue(fullRequests.contains("GET /v2/" + PREFIX + "/app-00/tags/list?n=5"), fullRequests.toString());
        String total = full.out().lines().filter(l -> l.startsWith("(total)")).findFirst().orElseThrow();
        assertEquals(List.of(String.valueOf(images), String.valueOf(images - firstImages), String.valueOf(firstImages), "0"),
                List.of(total.trim().split("\\s+")).subList(1, 5), full.out());
        assertTrue(full.out().contains("not sources: 1 tag(s) Recast wrote"), full.out());
        for (int i = 0; i < 10; i++) {
            String repository = PREFIX + "/app-0" + i;
            assertTrue(fullRequests.stream().noneMatch(r -> r.startsWith("GET /v2/" + repository + "/blobs/")),
                    repository + " was converted before: no layer is read again");
        }

        // every source tag has its -oci twin; a sample is a faithful conversion
        Map<String, List<String>> now = fleet.tags(SOURCES.keySet());
        SOURCES.forEach((repository, tags) -> tags.forEach(tag -> assertTrue(now.get(repository).contains(tag + "-oci"),
                repository + ":" + tag + "-oci missing: " + now.get(repository))));
        RegistryImages.assertFaithful(LAB, PREFIX + "/app-17:v2", LAB, PREFIX + "/app-17:v2-oci", tmp.resolve("a"));
        RegistryImages.assertFaithful(LAB, PREFIX + "/app-03:v1", LAB, PREFIX + "/app-03:v1-oci", tmp.resolve("b"));

        // nothing is left: every image already converted, no blob read, the CSV says so
        before = proxy.requests().size();
        CliRun again = migrate("--repository", all, "--csv");
        assertEquals(0, again.code(), again.err());
        String csvTotal = again.out().lines().filter(l -> l.startsWith("(total),")).findFirst().orElseThrow();
        assertTrue(csvTotal.startsWith("(total)," + images + ",0," + images + ",0,0,"), again.out());
        // images converted earlier count in the savings from their manifests: the same bytes as the run that did them
        List<String> fullTotals = List.of(total.trim().split("\\s+"));
        assertEquals(fullTotals.subList(8, 10), List.of(csvTotal.split(",")).subList(9, 11), again.out());
        assertTrue(Long.parseLong(fullTotals.get(9)) < Long.parseLong(fullTotals.get(8)), total);
        assertTrue(requestsSince(before).stream().noneMatch(r -> r.matches("GET /v2/.*/blobs/.*")), requestsSince(before).toString());
    }

    @Test
    void aRepositoryListReplacesTheCatalog() throws Exception {
        Path list = tmp.resolve("repositories.txt");
        java.nio.file.Files.writeString(list, "# the catalog is disabled\n" + PREFIX + "/app-21\n\n" + PREFIX + "/app-22\n");
        int before = proxy.requests().size();
        CliRun run = migrate("--repositories-from", list.toString(), "--dry-run", "--json", "--tag", "v2|v3");
        assertEquals(0, run.code(), run.err());
        JsonNode report = JSON.readTree(run.out());
        List<String> planned = new ArrayList<>();
        report.path("images").forEach(i -> planned.add(i.path("repository").asText() + ":" + i.path("tag").asText()));
        assertEquals(List.of(PREFIX + "/app-21:v2", PREFIX + "/app-21:v3", PREFIX + "/app-22:v2"), planned);
        assertTrue(requestsSince(before).stream().noneMatch(r -> r.contains("_catalog")), requestsSince(before).toString());
    }

    @Test
    void aTagThatMovesDuringTheRunIsConvertedAtTheDigestRead() throws Exception {
        String repository = PREFIX + "-moving/app";
        fleet.push(FIXTURES.get(0), repository, "v1");
        String read = RegistryImages.rawDigest(LAB, repository + ":v1");
        // the conversion looks at its target after reading the source: hold it there while the tag moves
        proxy.once("GET", "/v2/" + repository + "/manifests/v1-oci", new FaultProxy.Fault.Stall(3000));
        CompletableFuture<CliRun> running = CompletableFuture.supplyAsync(() -> migrate("--repository", repository, "--json"));
        String held = "GET /v2/" + repository + "/manifests/v1-oci";
        for (int i = 0; i < 100 && !proxy.requests().contains(held); i++) {
            Thread.sleep(50);
        }
        assertTrue(proxy.requests().contains(held), proxy.requests().toString());
        fleet.push(FIXTURES.get(1), repository, "v1");
        CliRun run = running.get(2, TimeUnit.MINUTES);
        assertEquals(0, run.code(), run.err());
        JsonNode image = JSON.readTree(run.out()).path("images").get(0);
        assertEquals("CONVERTED", image.path("status").asText(), run.out());
        assertEquals(read, image.path("sourceDigest").asText());
        assertTrue(image.path("note").asText().contains("moved to " + RegistryImages.rawDigest(LAB, repository + ":v1")),
                run.out());
        assertEquals(read, RegistryImages.rawManifest(LAB, repository + ":v1-oci").path("annotations")
                .path("dev.recast.source.digest").asText());
    }

    @Test
    void aFailedImageIsReportedWithItsCauseAndTheOthersGoOn() {
        String broken = PREFIX + "-mixed/broken";
        String fine = PREFIX + "-mixed/fine";
        fleet.push(FIXTURES.get(0), broken, "v1");
        fleet.push(FIXTURES.get(0), fine, "v1");
        proxy.always("GET", "/v2/" + broken + "/blobs/", new FaultProxy.Fault.Status(403, null));
        CliRun run = migrate("--repository", PREFIX + "-mixed/*");
        assertEquals(RecastMain.FAILED, run.code(), run.out() + run.err());
        System.out.println(run.out());
        String failure = run.out().lines().filter(l -> l.startsWith("failed ")).findFirst().orElseThrow(() -> new AssertionError(run.out()));
        assertTrue(failure.startsWith("failed " + broken + ":v1 → " + proxy.host() + "/" + broken
                + ":v1-oci: UPSTREAM_AUTH: "), failure);
        assertTrue(failure.contains("403"), failure);
        assertTrue(run.out().lines().anyMatch(l -> l.matches(java.util.regex.Pattern.quote(fine) + "\\s+1\\s+1\\s+0\\s+0\\s.*")),
                run.out());
    }

    @Test
    void keepsToTheRequestRateAndWritesTheHtmlReport() throws Exception {
        String repository = PREFIX + "-rated/app";
        for (String tag : List.of("v1", "v2", "v3")) {
            fleet.push(FIXTURES.get(0), repository, tag);
        }
        Path html = tmp.resolve("report.html");
        int before = proxy.requests().size();
        long started = System.nanoTime();
        CliRun run = migrate("--repository", repository, "--rate", "20/s", "--html", html.toString(), "--concurrency", "3");
        double seconds = (System.nanoTime() - started) / 1e9;
        assertEquals(0, run.code(), run.err() + run.out());
        int requests = requestsSince(before).size();
        assertTrue(requests > 20, "enough requests to see the rate: " + requestsSince(before));
        // slots 1/20 s apart: n requests need at least (n - 1) / 20 s, whatever the machine's speed
        assertTrue(seconds >= (requests - 1) / 20.0, requests + " requests in " + seconds + " s: faster than 20/s");
        String page = java.nio.file.Files.readString(html);
        assertTrue(page.contains("<rect class=\"bar\""), page);
        assertTrue(page.contains(repository), page);
        assertTrue(page.contains("3 image(s), 3 converted"), page);
    }

    @Test
    void aDisabledCatalogSaysToListTheRepositories() {
        try (FaultProxy noCatalog = new FaultProxy(LAB.host())) {
            noCatalog.always("GET", "/v2/_catalog", new FaultProxy.Fault.Status(404, null));
            CliRun run = CliRun.of(List.of("migrate", noCatalog.host(), "--insecure", noCatalog.host()));
            assertEquals(RecastMain.FAILED, run.code(), run.out());
            assertTrue(run.err().startsWith("recast: not found: registry " + noCatalog.host() + " offers no catalog"), run.err());
            assertTrue(run.err().contains("give them as a list instead"), run.err());
        }
    }

    private static List<String> requestsSince(int index) {
        List<String> all = proxy.requests();
        return all.subList(index, all.size());
    }
}
