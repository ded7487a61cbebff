package dev.recast.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recast.model.Descriptor;
import dev.recast.model.Digest;
import dev.recast.model.Manifest;
import dev.recast.model.MediaType;
import dev.recast.registry.ImageStores;
import dev.recast.registry.http.RegistrySettings;
import dev.recast.registry.reference.RegistryReference;
import dev.recast.registry.store.ImageStore;
import dev.recast.testing.FleetImages;
import dev.recast.testing.LabRegistry;
import dev.recast.testing.RegistryImages;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A registry migration fanned out over SQS, end to end: ElasticMQ (an SQS-compatible server, in this process) holds
 * the migration queue and its dead-letter queue, the real AWS SDK talks to it, and the lab registry holds the images.
 * The planner enqueues one message per image left to convert; the messages, received as Lambda's event source mapping
 * receives them, are delivered to the function as SQS events; a failing image comes back until the redrive policy
 * moves it to the dead-letter queue; the summary is read back from the registry.
 */
@QuarkusTest
@TestProfile(LambdaMigrationTest.Profile.class)
@Tag("registry")
@Tag("quarkus")
class LambdaMigrationTest {
    static final int EVENTS = LabRegistry.freePort();
    private static final int SQS_PORT = LabRegistry.freePort();
    private static final String SQS_URL = "http://127.0.0.1:" + SQS_PORT;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SQSRestServer SERVER = startSqs();
    private static final SqsClient SQS = SqsClient.builder().endpointOverride(URI.create(SQS_URL)).region(Region.EU_WEST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "test-secret-key")))
            .httpClient(UrlConnectionHttpClient.create()).build();
    private static final String DEAD_LETTERS = SQS.createQueue(r -> r.queueName("recast-migration-dead-letters")).queueUrl();
    private static final int MAX_RECEIVES = 2;
    static final String QUEUE = SQS.createQueue(r -> r.queueName("recast-migrations").attributes(Map.of(
            QueueAttributeName.VISIBILITY_TIMEOUT, "1",
            QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + arn(DEAD_LETTERS) + "\",\"maxReceiveCount\":\""
                    + MAX_RECEIVES + "\"}"))).queueUrl();

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return MockLambda.settings(EVENTS, Map.of("recast.api.token", "migration-api-t0ken",
                    "recast.lambda.migration-queue-url", QUEUE,
                    "recast.lambda.aws-endpoint-override", SQS_URL,
                    "recast.lambda.region", "eu-west-1"));
        }
    }

    private final LabRegistry lab = LabRegistry.plain();
    private final FleetImages fleet = new FleetImages(lab);

    private static SQSRestServer startSqs() {
        SQSRestServer server = SQSRestServerBuilder.withPort(SQS_PORT).withInterface("127.0.0.1")
                .withServerAddress(new NodeAddress("http", "127.0.0.1", SQS_PORT, "")).start();
        server.waitUntilStarted();
        return server;
    }

    private static String arn(String queueUrl) {
        return SQS.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    @AfterAll
    static void stopSqs() {
        SQS.close();
        SERVER.stopAndWait();
    }

    @Test
    void aRegistryIsPlannedQueuedConvertedByWorkersAndSummarisedWithTheFailureDeadLettered() throws Exception {
        String prefix = "sqs-fleet-" + UUID.randomUUID().toString().substring(0, 6);
        List<String> good = List.of(prefix + "/a", prefix + "/b", prefix + "/c");
        for (String repository : good) {
            fleet.push("fixtures/hello:v2s2", repository, "v1");
            fleet.push("fixtures/empty-layer:v2s2", repository, "v2");
        }
        String broken = prefix + "/broken";
        pushNotGzip(broken, "v1");
        // converted before the migration: the planner finds it done and sends no message for it
        JsonNode early = MockLambda.invoke(EVENTS, JSON.createObjectNode().put("source", lab.host() + "/" + good.getFirst() + ":v1"));
        assertEquals("CONVERTED", early.path("outcome").asText(), early.toString());

        ObjectNode request = JSON.createObjectNode().put("registry", lab.host()).put("pageSize", 5);
        request.putArray("repositories").add(prefix + "/**");
        JsonNode dryRun = MockLambda.invoke(EVENTS, JSON.createObjectNode().set("recastMigration", request.deepCopy().put("dryRun", true)));
        assertEquals(6, dryRun.path("totals").path("planned").asInt(), dryRun.toString());
        assertEquals(0, approximateMessages(QUEUE), "a dry run sends nothing");

        JsonNode receipt = MockLambda.invoke(EVENTS, JSON.createObjectNode().set("recastMigration", request));
        String runId = receipt.path("runId").asText();
        assertFalse(runId.isEmpty(), receipt.toString());
        assertEquals(6, receipt.path("queued").asInt(), receipt.toString());
        assertEquals(1, receipt.path("planned").path("skipped").asInt(), receipt.toString());

        int deliveries = work();
        assertTrue(deliveries >= 6 + MAX_RECEIVES - 1, "the broken image is delivered " + MAX_RECEIVES + " times: " + deliveries);
        for (String repository : good) {
            assertEquals(List.of("v1", "v1-oci", "v2", "v2-oci"), lab.imageTags(repository));
            assertEquals(MediaType.OCI_MANIFEST.value(), RegistryImages.rawManifest(lab, repository + ":v2-oci")
                    .path("mediaType").asText());
        }
        assertEquals(List.of("v1"), lab.tags(broken));
        List<Message> dead = SQS.receiveMessage(r -> r.queueUrl(DEAD_LETTERS).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
        assertEquals(1, dead.size(), dead.toString());
        JsonNode deadImage = JSON.readTree(dead.getFirst().body()).path("recastMigrationImage");
        assertEquals(broken, deadImage.path("repository").asText());
        assertEquals(runId, deadImage.path("runId").asText());
        assertEquals(0, approximateMessages(QUEUE));

        JsonNode summary = MockLambda.invoke(EVENTS, JSON.readTree("{\"recastMigrationSummary\":{\"registry\":\"docker://"
                + lab.host() + "\",\"runId\":\"" + runId + "\"}}"));
        assertTrue(summary.path("complete").asBoolean(), summary.toString());
        assertEquals(0, summary.path("pending").asInt());
        JsonNode totals = summary.path("report").path("totals");
        assertEquals(7, totals.path("images").asInt(), summary.toString());
        assertEquals(5, totals.path("converted").asInt(), summary.toString());
        assertEquals(1, totals.path("skipped").asInt(), summary.toString());
        assertEquals(1, totals.path("failed").asInt(), summary.toString());
        assertTrue(totals.path("bytesBefore").asLong() > 0, totals.toString());
        JsonNode failure = null;
        for (JsonNode image : summary.path("report").path("images")) {
            if (image.path("status").asText().equals("FAILED")) {
                failure = image;
            }
        }
        assertEquals(broken, failure.path("repository").asText(), summary.toString());
        assertFalse(failure.path("errorKind").asText().isEmpty(), failure.toString());
        assertFalse(failure.path("note").asText().isEmpty(), failure.toString());

        // planned again, only what is not converted is sent: the broken image
        JsonNode again = MockLambda.invoke(EVENTS, JSON.createObjectNode().set("recastMigration", request));
        assertEquals(1, again.path("queued").asInt(), again.toString());
        assertEquals(6, again.path("planned").path("skipped").asInt(), again.toString());
        SQS.purgeQueue(r -> r.queueUrl(QUEUE));
    }

    /**
     * Receives as the event source mapping does, delivers each batch to the function as an SQS event and deletes what
     * it did not report failed; failed messages come back after the visibility timeout until the redrive policy takes
     * them. Answers the number of deliveries.
     */
    private int work() throws Exception {
        int deliveries = 0;
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            List<Message> messages = SQS.receiveMessage(r -> r.queueUrl(QUEUE).maxNumberOfMessages(10).waitTimeSeconds(1)
                    .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
            if (messages.isEmpty()) {
                if (approximateMessages(QUEUE) == 0 && approximateMessages(DEAD_LETTERS) > 0) {
                    return deliveries;
                }
                continue;
            }
            deliveries += messages.size();
            ObjectNode event = JSON.createObjectNode();
            ArrayNode records = event.putArray("Records");
            for (Message message : messages) {
                ObjectNode record = records.addObject().put("messageId", message.messageId())
                        .put("receiptHandle", message.receiptHandle()).put("body", message.body())
                        .put("md5OfBody", message.md5OfBody()).put("eventSource", "aws:sqs")
                        .put("eventSourceARN", arn(QUEUE)).put("awsRegion", "eu-west-1");
                record.putObject("attributes").put("ApproximateReceiveCount",
                        message.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT));
                record.putObject("messageAttributes");
            }
            Set<String> failed = new HashSet<>();
            MockLambda.invoke(EVENTS, event).path("batchItemFailures").forEach(f -> failed.add(f.path("itemIdentifier").asText()));
            for (Message message : messages) {
                if (!failed.contains(message.messageId())) {
                    SQS.deleteMessage(r -> r.queueUrl(QUEUE).receiptHandle(message.receiptHandle()));
                }
            }
        }
        throw new AssertionError("the queue was not drained into conversions and the dead-letter queue in time");
    }

    private static int approximateMessages(String queueUrl) {
        Map<QueueAttributeName, String> attributes = SQS.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes();
        return Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    private ImageStores stores() {
        return new ImageStores(RegistrySettings.defaults().withInsecureHosts(Set.of(lab.host())));
    }


    /** An image whose layer (random bytes) is not what its config says (a made-up diff_id): every conversion fails. */
    private void pushNotGzip(String repository, String tag) {
        byte[] layer = new byte[4096];
        new Random(7).nextBytes(layer);
        Descriptor layerBlob = new Descriptor(MediaType.DOCKER_LAYER_GZIP, Digest.sha256(layer), layer.length);
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                + Digest.sha256("not a tar".getBytes(StandardCharsets.UTF_8)) + "\"]},\"config\":{}}").getBytes(StandardCharsets.UTF_8);
        Descriptor configBlob = new Descriptor(MediaType.DOCKER_CONFIG, Digest.sha256(config), config.length);
        try (ImageStores stores = stores();
             ImageStore target = stores.open(new RegistryReference(lab.host(), repository, tag, null))) {
            target.putBlob(layerBlob, new ByteArrayInputStream(layer));
            target.putBlob(configBlob, new ByteArrayInputStream(config));
            target.tag(tag, Manifest.create(MediaType.DOCKER_MANIFEST, null, configBlob, List.of(layerBlob), null, Map.of())
                    .content());
        }
    }

    @AfterEach
    void closeFleet() {
        fleet.close();
    }
}
