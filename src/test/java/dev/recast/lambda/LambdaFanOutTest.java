package dev.recast.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recast.convert.ConversionOptions;
import dev.recast.convert.ImageConverter;
import dev.recast.registry.ImageStores;
import dev.recast.registry.http.CredentialSource;
import dev.recast.registry.http.RegistrySettings;
import dev.recast.registry.reference.ImageReference;
import dev.recast.testing.LabRegistry;
import dev.recast.testing.RegistryImages;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A multi-platform image split per platform through SQS: the request sends one message per platform to a local
 * endpoint that speaks SQS's JSON protocol, and each message, delivered as an SQS event, converts its platform. The
 * target tag appears only when the last part is done, and the index is the one a single conversion writes.
 */
@QuarkusTest
@TestProfile(LambdaFanOutTest.Profile.class)
@Tag("registry")
@Tag("quarkus")
class LambdaFanOutTest {
    static final int EVENTS = LabRegistry.freePort();
    static final String QUEUE = "https://sqs.eu-west-1.amazonaws.com/123456789012/recast-work";
    private static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> SENT = new java.util.concurrent.CopyOnWriteArrayList<>();
    static final FakeAws SQS = new FakeAws(Map.of("AmazonSQS.SendMessage", LambdaFanOutTest::sendMessage));

    /** SendMessage as SQS answers it, with the MD5 of the body the SDK checks. */
    private static String sendMessage(String request) {
        try {
            JsonNode json = JSON.readTree(request);
            assertEquals(QUEUE, json.path("QueueUrl").asText());
            String body = json.path("MessageBody").asText();
            SENT.add(body);
            String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body.getBytes(StandardCharsets.UTF_8)));
            return "{\"MessageId\":\"" + UUID.randomUUID() + "\",\"MD5OfMessageBody\":\"" + md5 + "\"}";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return MockLambda.settings(EVENTS, Map.of("recast.api.token", "fan-out-api-t0ken",
                    "recast.lambda.fanout-queue-url", QUEUE,
                    "recast.lambda.fanout-above-bytes", "1",
                    "recast.lambda.aws-endpoint-override", SQS.url(),
                    "recast.lambda.region", "eu-west-1"));
        }
    }

    @TempDir
    Path tmp;

    private final LabRegistry lab = LabRegistry.plain();

    private JsonNode invoke(JsonNode event) throws Exception {
        return MockLambda.invoke(EVENTS, event);
    }

    /** Delivers messages as SQS does; answers the ids SQS should deliver again. */
    private List<String> deliver(List<String> bodies) throws Exception {
        ObjectNode batch = JSON.createObjectNode();
        ArrayNode records = batch.putArray("Records");
        for (int i = 0; i < bodies.size(); i++) {
            records.addObject().put("messageId", "m" + i).put("eventSource", "aws:sqs").put("body", bodies.get(i));
        }
        List<String> failed = new ArrayList<>();
        invoke(batch).path("batchItemFailures").forEach(f -> failed.add(f.path("itemIdentifier").asText()));
        return failed;
    }

    @Test
    void aListSplitPerPlatformIsTaggedOnlyWhenEveryPartIsDone() throws Exception {
        String repository = "lambda/fanout-" + UUID.randomUUID().toString().substring(0, 8);
        JsonNode receipt = invoke(JSON.createObjectNode().put("source", lab.host() + "/fixtures/multi:latest")
                .put("target", lab.host() + "/" + repository + ":1.0"));
        assertEquals("FANNED_OUT", receipt.path("outcome").asText(), receipt.toString());
        assertEquals(2, receipt.path("parts").size(), receipt.toString());
        assertEquals(2, SENT.size(), "one SQS message per platform");
        assertEquals(List.of(), lab.tags(repository), "nothing written when splitting");

        assertEquals(List.of(), deliver(List.of(SENT.get(0))));
        List<String> afterOne = lab.imageTags(repository);
        assertEquals(1, afterOne.size(), "one part tag, no target tag yet: " + afterOne);
        assertTrue(afterOne.getFirst().startsWith("1.0-linux-"), afterOne.toString());

        assertEquals(List.of(), deliver(List.of(SENT.get(1))));
        assertEquals(List.of("1.0", "1.0-linux-amd64", "1.0-linux-arm64-v8"), lab.imageTags(repository));
        RegistryImages.assertIndexLayersMatchDiffIds(lab, repository + ":1.0", tmp.resolve("copy"));

        // the same bytes as one conversion of the whole list
        String whole = "lambda/whole-" + UUID.randomUUID().toString().substring(0, 8);
        try (ImageStores stores = new ImageStores(RegistrySettings.defaults().withCredentials(CredentialSource.none()));
             ImageConverter converter = new ImageConverter(stores, 2, ImageConverter.Limits.DEFAULT)) {
            converter.convert(ImageReference.parse(lab.host() + "/fixtures/multi:latest"),
                    ImageReference.parse(lab.host() + "/" + whole + ":1.0"), ConversionOptions.DEFAULT);
        }
        String fannedOut = RegistryImages.rawDigest(lab, repository + ":1.0");
        assertEquals(RegistryImages.rawDigest(lab, whole + ":1.0"), fannedOut);

        // SQS delivers at least once: a part delivered again changes nothing
        assertEquals(List.of(), deliver(List.of(SENT.get(0))));
        assertEquals(fannedOut, RegistryImages.rawDigest(lab, repository + ":1.0"));
    }

    @Test
    void aConversionInPlaceIsNeverSplitAndIsRefusedWithoutConsentBeforeAnyPartIsWritten() throws Exception {
        String repository = "lambda/inplace-" + UUID.randomUUID().toString().substring(0, 8);
        try (ImageStores stores = new ImageStores(RegistrySettings.defaults().withCredentials(CredentialSource.none()));
             ImageConverter converter = new ImageConverter(stores, 2, ImageConverter.Limits.DEFAULT)) {
            converter.convert(ImageReference.parse(lab.host() + "/fixtures/multi:latest"),
                    ImageReference.parse(lab.host() + "/" + repository + ":1.0"), ConversionOptions.DEFAULT);
        }
        String before = RegistryImages.rawDigest(lab, repository + ":1.0");
        int sent = SENT.size();

        for (JsonNode request : List.of(
                JSON.createObjectNode().put("source", lab.host() + "/" + repository + ":1.0").put("inPlace", true),
                JSON.createObjectNode().put("source", lab.host() + "/" + repository + ":1.0")
                        .put("target", lab.host() + "/" + repository + ":1.0"),
                JSON.createObjectNode().put("source", lab.host() + "/" + repository + "@" + before)
                        .put("target", lab.host() + "/" + repository + ":1.0"))) {
            JsonNode answer = invoke(request);
            assertEquals("urn:recast:problem:bad-request", answer.path("problem").path("type").asText(), answer.toString());
            assertEquals(sent, SENT.size(), "no part message for a conversion in place: " + request);
            assertEquals(List.of("1.0"), lab.tags(repository), "no part tag in the production repository");
            assertEquals(before, RegistryImages.rawDigest(lab, repository + ":1.0"));
        }
    }
}
