package dev.recast.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recast.testing.CraftedImages;
import dev.recast.testing.LabRegistry;
import dev.recast.testing.RegistryImages;
import dev.recast.webhook.WebhookSamples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three {@code recast serve} processes in front of one registry, and a storm of webhook deliveries: 200 pushes of
 * 20 images, each delivered ten times, every delivery to a replica picked at random, all sent at once. The replicas
 * share nothing but the registry: every image must be converted and every tag right, and the work done twice
 * (the same image converted by more than one replica) is measured from the replicas' own metrics.
 */
class WebhookStormIT {
    private static final int REPLICAS = 3;
    private static final int IMAGES = 20;
    private static final int DELIVERIES_PER_IMAGE = 10;
    private static final String SECRET = "storm-s3cret";
    private static final Pattern JOBS = Pattern.compile(
            "^recast_webhook_jobs_total\\{[^}]*kind=\"convert\"[^}]*outcome=\"([a-z_-]+)\"[^}]*} ([0-9.E]+)$",
            Pattern.MULTILINE);
    private static final HttpClient HTTP = PackagedService.HTTP;

    @TempDir
    Path tmp;

    @Test
    void everyImageIsConvertedOnceItsTagIsRightAndDuplicatedWorkIsMeasured() throws Exception {
        LabRegistry lab = LabRegistry.plain();
        String prefix = "storm-" + UUID.randomUUID().toString().substring(0, 6);
        List<String> repositories = new ArrayList<>();
        List<byte[]> deliveries = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (int i = 0; i < IMAGES; i++) {
            String repository = prefix + "/app-" + i;
            CraftedImages.Stored image = CraftedImages.distinct(lab, repository, "v1", repository + " is image " + i);
            repositories.add(repository);
            byte[] body = json.writeValueAsBytes(WebhookSamples.distributionPush(lab.host(), repository, "v1", image.digest()));
            for (int d = 0; d < DELIVERIES_PER_IMAGE; d++) {
                deliveries.add(body);
            }
        }
        Collections.shuffle(deliveries, new Random(7));

        List<PackagedService> replicas = new ArrayList<>();
        try {
            for (int r = 0; r < REPLICAS; r++) {
                replicas.add(PackagedService.start(tmp.resolve("replica-" + r + ".log"),
                        "recast.api.token=" + PackagedService.TOKEN, "recast.registries.allowed=" + lab.host(),
                        "recast.webhooks.distribution.secret=" + SECRET, "recast.webhooks.retry-delay=200ms",
                        "recast.webhooks.rules=[{\"tag\":\"v1\",\"convert\":{\"target\":\"{repository}:{tag}-oci\"}}]"));
            }
            Random pick = new Random(11);
            AtomicInteger refused = new AtomicInteger();
            try (ExecutorService senders = Executors.newFixedThreadPool(24)) {
                List<Future<Integer>> sent = new ArrayList<>();
                for (byte[] body : deliveries) {
                    PackagedService replica = replicas.get(pick.nextInt(REPLICAS));
                    sent.add(senders.submit(() -> deliver(replica, body, refused)));
                }
                for (Future<Integer> status : sent) {
                    assertEquals(202, status.get(), "every delivery accepted in the end");
                }
            }

            for (String repository : repositories) {
                lab.awaitTagIn(repository, "v1-oci");
            }
            // every accepted delivery ends as one counted job outcome (a duplicate, or the run's outcome)
            Map<String, Double> outcomes = Map.of();
            for (int i = 0; i < 600; i++) {
                outcomes = outcomes(replicas);
                if (outcomes.values().stream().mapToDouble(Double::doubleValue).sum() >= deliveries.size()) {
                    break;
                }
                Thread.sleep(100);
            }
            double finished = outcomes.values().stream().mapToDouble(Double::doubleValue).sum();
            assertEquals(deliveries.size(), finished, 0.0, "each delivery counted once: " + outcomes);
            assertEquals(0.0, outcomes.getOrDefault("failed", 0.0), outcomes + "; the replicas said: " + failures(tmp));

            for (String repository : repositories) {
                assertEquals(List.of("hello", "v1", "v1-oci"), lab.imageTags(repository), "only v1 was delivered: " + repository);
                assertEquals(RegistryImages.rawDigest(lab, repository + ":v1"), RegistryImages.rawManifest(lab,
                        repository + ":v1-oci").path("annotations").path("dev.recast.source.digest").asText(), repository);
                RegistryImages.assertFaithful(lab, repository + ":v1", lab, repository + ":v1-oci",
                        tmp.resolve(repository.replace('/', '-')));
            }
            double converted = outcomes.getOrDefault("converted", 0.0);
            // each replica converts an image at most once: later deliveries find it running, done, or already converted
            assertTrue(converted >= IMAGES && converted <= (double) IMAGES * REPLICAS, outcomes.toString());
            System.out.printf("storm: %d deliveries of %d images to %d replicas (%d refused for a while, retried): "
                            + "outcomes %s; duplicated conversions %.0f (%.0f%% of the images)%n", deliveries.size(),
                    IMAGES, REPLICAS, refused.get(), outcomes, converted - IMAGES, 100 * (converted - IMAGES) / IMAGES);
        } finally {
            for (PackagedService replica : replicas) {
                replica.stop();
            }
        }
    }

    /** What the replicas logged about jobs that failed or gave up: the why of a failed outcome. */
    private static List<String> failures(Path logs) throws IOException {
        List<String> said = new ArrayList<>();
        for (int r = 0; r < REPLICAS; r++) {
            for (String line : Files.readAllLines(logs.resolve("replica-" + r + ".log"))) {
                if (line.contains("gave up") || line.contains("failed, retrying") || line.contains(" ERROR ")) {
                    said.add("replica " + r + ": " + line);
                }
            }
        }
        return said;
    }

    /** Posts one delivery until the replica accepts it, waiting as its 429/503 Retry-After says. */
    private static int deliver(PackagedService replica, byte[] body, AtomicInteger refused) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(replica.uri("/v1/webhooks/distribution"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + SECRET)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        for (int attempt = 0; attempt < 120; attempt++) {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 429 && response.statusCode() != 503) {
                return response.statusCode();
            }
            refused.incrementAndGet();
            Thread.sleep(1000L * Long.parseLong(response.headers().firstValue("Retry-After").orElse("1")));
        }
        throw new AssertionError("a replica refused a delivery 120 times");
    }

    /** The webhook convert jobs' outcomes, summed over the replicas, from each one's Prometheus metrics. */
    private static Map<String, Double> outcomes(List<PackagedService> replicas) throws Exception {
        Map<String, Double> sum = new TreeMap<>();
        for (PackagedService replica : replicas) {
            HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(replica.uri("/q/metrics"))
                    .header("Authorization", "Bearer " + PackagedService.TOKEN).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, metrics.statusCode(), metrics.body());
            Matcher line = JOBS.matcher(metrics.body());
            while (line.find()) {
                sum.merge(line.group(1), Double.parseDouble(line.group(2)), Double::sum);
            }
        }
        return sum;
    }
}
