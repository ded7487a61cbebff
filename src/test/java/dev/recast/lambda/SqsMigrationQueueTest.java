package dev.recast.lambda;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.testing.LabRegistry;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The planner's sending side against ElasticMQ: every message arrives, ten a request, and a refusal names the count. */
class SqsMigrationQueueTest {
    private static final int PORT = LabRegistry.freePort();
    private static final String URL = "http://127.0.0.1:" + PORT;
    private static SQSRestServer server;
    private static SqsClient sqs;

    @BeforeAll
    static void start() {
        System.setProperty("aws.accessKeyId", "AKIDTEST");
        System.setProperty("aws.secretAccessKey", "test-secret-key");
        server = SQSRestServerBuilder.withPort(PORT).withInterface("127.0.0.1")
                .withServerAddress(new NodeAddress("http", "127.0.0.1", PORT, "")).start();
        server.waitUntilStarted();
        sqs = SqsClient.builder().endpointOverride(URI.create(URL)).region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "test-secret-key")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterAll
    static void stop() {
        sqs.close();
        server.stopAndWait();
    }

    private static String queue() {
        return sqs.createQueue(r -> r.queueName("migration-" + UUID.randomUUID().toString().substring(0, 8))).queueUrl();
    }

    private static SqsMigrationQueue sender(String queueUrl) {
        return new SqsMigrationQueue(queueUrl, Optional.of(URI.create(URL)), Optional.of("eu-west-1"));
    }

    @Test
    void everyMessageArrivesOnceInBatchesOfTen() {
        String queueUrl = queue();
        List<String> bodies = IntStream.range(0, 23).mapToObj(i -> "{\"image\":" + i + "}").toList();
        try (SqsMigrationQueue queue = sender(queueUrl)) {
            queue.sendAll(bodies);
        }
        List<String> received = new ArrayList<>();
        for (int attempt = 0; attempt < 10 && received.size() < bodies.size(); attempt++) {
            for (Message message : sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10)).messages()) {
                received.add(message.body());
                sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
            }
        }
        assertEquals(bodies.stream().sorted().toList(), received.stream().sorted().toList());
    }

    @Test
    void aMessageSqsRefusesTwiceFailsTheSendNamingHowManyWentOut() {
        String queueUrl = queue();
        List<String> bodies = new ArrayList<>(IntStream.range(0, 12).mapToObj(i -> "{\"image\":" + i + "}").toList());
        bodies.set(3, "{\"image\":\"\u0000\"}"); // a character SQS does not take in a message
        RecastException refused;
        try (SqsMigrationQueue queue = sender(queueUrl)) {
            refused = assertThrows(RecastException.class, () -> queue.sendAll(bodies));
        }
        assertEquals(ErrorKind.UPSTREAM, refused.kind());
        assertTrue(refused.getMessage().startsWith("9 of 12 migration messages sent"), refused.getMessage());
    }
}
