package dev.recast.webhook;

import dev.recast.testing.HttpServerTest;
import dev.recast.testing.LabRegistry;
import dev.recast.testing.RegistryImages;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Load within the service's limits: 10 different conversions through the REST API and 50 webhook deliveries, all
 * sent at once. Requests over the limits must be refused with 429 and a Retry-After (the clients here honour it, as
 * registries and scripts do); every result must be correct; and a second identical round must leave no more live
 * threads and no more retained heap than the first did.
 */
@QuarkusTest
@TestProfile(ServiceLoadTest.Profile.class)
@Tag("registry")
@Tag("quarkus")
class ServiceLoadTest extends HttpServerTest {
    static final String SECRET = "load-s3cret";
    static final int CONVERSIONS = 10;
    static final int DELIVERIES = 50;
    static final int PUSHED_REPOSITORIES = 10;
    static final String CLIENT_THREAD = "load-test-client";

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>();
            config.put("recast.api.concurrency", "3");
            // Quarkus's request threads also end when idle (default after 30 s): measure the service at rest sooner
            config.put("quarkus.thread-pool.keep-alive-time", "3s");
            config.put("recast.api.retry-after-seconds", "1");
            config.put("recast.webhooks.workers", "2");
            config.put("recast.webhooks.queue", "4");
            config.put("recast.webhooks.retry-delay", "200ms");
            config.put("recast.webhooks.distribution.secret", SECRET);
            config.put("recast.webhooks.rules", "[{\"tag\":\".+\",\"convert\":{\"target\":\"{repository}:{tag}-oci\"}}]");
            return config;
        }
    }

    @Inject
    WebhookProcessor processor;

    @TestHTTPResource("/")
    URL service;

    @TempDir
    Path tmp;

    private final LabRegistry lab = LabRegistry.plain();
    /** The test's own client, its threads named so the thread count leaves them out. */
    private final HttpClient http = HttpClient.newBuilder().executor(Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, CLIENT_THREAD);
        thread.setDaemon(true);
        return thread;
    })).build();
    private final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    private final AtomicInteger refusedWithoutRetryAfter = new AtomicInteger();

    /** What one round did: the repositories it converted through the API and through webhooks. */
    private record Round(List<String> converted, List<String> pushed) {
    }

    @Test
    void loadWithinTheLimitsIsServedCorrectlyAndLeavesNothingBehind() throws Exception {
        Round first = round();
        Snapshot afterFirst = Snapshot.take();
        Round second = round();
        Snapshot afterSecond = Snapshot.take();

        assertTrue(statuses.getOrDefault(429, new AtomicInteger()).get() > 0,
                "the load exceeded the limits at least once: " + statuses);
        assertEquals(0, refusedWithoutRetryAfter.get(), "every 429/503 carries Retry-After");
        assertTrue(statuses.keySet().stream().allMatch(s -> s == 200 || s == 202 || s == 429 || s == 503),
                "only success or a refusal to retry: " + statuses);
        for (Round round : List.of(first, second)) {
            for (String repository : round.converted()) {
                RegistryImages.assertFaithful(lab, "fixtures/hello:v2s2", lab, repository + ":oci",
                        tmp.resolve(UUID.randomUUID().toString()));
            }
            for (String repository : round.pushed()) {
                assertEquals(List.of("1.4.2", "1.4.2-oci"), lab.imageTags(repository), repository);
            }
        }
        RegistryImages.assertFaithful(lab, "fixtures/hello:v2s2", lab, second.pushed().getFirst() + ":1.4.2-oci",
                tmp.resolve("pushed"));
        assertTrue(afterSecond.threadCount() <= afterFirst.threadCount() + 2, "live threads grew: "
                + afterFirst.threads() + " after round 1, " + afterSecond.threads() + " after round 2");
        assertTrue(afterSecond.heapBytes() <= afterFirst.heapBytes() + (48L << 20), "retained heap grew: "
                + (afterFirst.heapBytes() >> 20) + " MiB after round 1, " + (afterSecond.heapBytes() >> 20) + " MiB after round 2");
    }

    private Round round() throws Exception {
        List<String> converted = new ArrayList<>();
        List<String> pushed = new ArrayList<>();
        for (int i = 0; i < PUSHED_REPOSITORIES; i++) {
            String repository = "load/pushed-" + UUID.randomUUID().toString().substring(0, 8);
            LabRegistry.copy(lab.host() + "/fixtures/hello:v2s2", lab.host() + "/" + repository + ":1.4.2");
            pushed.add(repository);
        }
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < CONVERSIONS; i++) {
            String repository = "load/api-" + UUID.randomUUID().toString().substring(0, 8);
            converted.add(repository);
            String body = "{\"source\":\"" + lab.host() + "/fixtures/hello:v2s2\",\"target\":\"" + lab.host() + "/"
                    + repository + ":oci\"}";
            calls.add(() -> sendUntilAccepted(start, HttpRequest.newBuilder(service.toURI().resolve("v1/conversions"))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + token())
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build()));
        }
        for (int i = 0; i < DELIVERIES; i++) {
            byte[] body = WebhookSamples.bytes(WebhookSamples.distributionPush(lab.host(), pushed.get(i % PUSHED_REPOSITORIES)));
            calls.add(() -> sendUntilAccepted(start, HttpRequest.newBuilder(service.toURI().resolve("v1/webhooks/distribution"))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + SECRET)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build()));
        }
        ExecutorService clients = Executors.newFixedThreadPool(calls.size());
        try {
            List<Future<Integer>> results = new ArrayList<>();
            calls.forEach(call -> results.add(clients.submit(call)));
            start.countDown();
            for (int i = 0; i < results.size(); i++) {
                int status = results.get(i).get();
                assertEquals(i < CONVERSIONS ? 200 : 202, status, "request " + i);
            }
        } finally {
            clients.shutdownNow();
        }
        for (String repository : pushed) {
            lab.awaitTagIn(repository, "1.4.2-oci");
        }
        for (int i = 0; i < 300 && processor.busy(); i++) {
            Thread.sleep(100);
        }
        return new Round(converted, pushed);
    }

    /** Sends until the service accepts, waiting as each refusal's Retry-After says; returns the final status. */
    private int sendUntilAccepted(CountDownLatch start, HttpRequest request) throws Exception {
        start.await();
        for (int attempt = 0; attempt < 120; attempt++) {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            statuses.computeIfAbsent(response.statusCode(), s -> new AtomicInteger()).incrementAndGet();
            if (response.statusCode() != 429 && response.statusCode() != 503) {
                return response.statusCode();
            }
            String retryAfter = response.headers().firstValue("Retry-After").orElse(null);
            if (retryAfter == null) {
                refusedWithoutRetryAfter.incrementAndGet();
                retryAfter = "1";
            }
            Thread.sleep(Long.parseLong(retryAfter) * 1000);
        }
        throw new AssertionError("still refused after 120 attempts: " + request.uri());
    }

    /** Live threads and heap in use after a full GC, once the service is idle. */
    private record Snapshot(Map<String, Integer> threads, long heapBytes) {
        int threadCount() {
            return threads.values().stream().mapToInt(Integer::intValue).sum();
        }

        static Snapshot take() throws InterruptedException {
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            // idle request threads end after 3 s (profile), registry-client threads after 5 s (ImageStores)
            Thread.sleep(6000);
            for (int i = 0; i < 3; i++) {
                System.gc();
                Thread.sleep(200);
            }
            Map<String, Integer> threads = new java.util.TreeMap<>();
            Thread.getAllStackTraces().keySet().stream().filter(t -> !t.getName().equals(CLIENT_THREAD)).forEach(t -> threads.merge(t.getName().replaceAll("\\d+", "#"), 1, Integer::sum));
            return new Snapshot(threads, memory.getHeapMemoryUsage().getUsed());
        }
    }
}
