package dev.recast.lambda;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.registry.http.Credentials;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ECR tokens, Secrets Manager credentials and settings, against a local endpoint that speaks the AWS JSON protocol. */
class AwsCredentialsTest {

    @BeforeAll
    static void awsIdentity() {
        System.setProperty("aws.accessKeyId", "AKIDTEST");
        System.setProperty("aws.secretAccessKey", "test-secret-key");
    }

    @AfterAll
    static void forget() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    @Test
    void ecrTokenIsFetchedForEcrHostsOnlyAndCached() {
        String token = Base64.getEncoder().encodeToString("AWS:ecr-password".getBytes(StandardCharsets.UTF_8));
        long expires = System.currentTimeMillis() / 1000 + 12 * 3600;
        try (FakeAws aws = FakeAws.answering(Map.of("AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken",
                "{\"authorizationData\":[{\"authorizationToken\":\"" + token + "\",\"expiresAt\":" + expires
                        + ",\"proxyEndpoint\":\"https://123456789012.dkr.ecr.eu-west-1.amazonaws.com\"}]}"))) {
            EcrCredentials ecr = new EcrCredentials(Optional.of(URI.create(aws.url())));
            Credentials credentials = ecr.lookup("123456789012.dkr.ecr.eu-west-1.amazonaws.com").orElseThrow();
            assertEquals("AWS", credentials.username());
            assertEquals("ecr-password", credentials.secret());
            ecr.lookup("123456789012.dkr.ecr.eu-west-1.amazonaws.com");
            assertEquals(1, aws.calls.size(), "cached until shortly before expiry");
            assertTrue(aws.calls.getFirst().contains("123456789012"), aws.calls.toString());
            assertEquals(Optional.empty(), ecr.lookup("ghcr.io"));
        }
    }

    @Test
    void ecrFailureIsAClearAuthError() {
        try (FakeAws aws = FakeAws.answering(Map.of())) {
            RecastException error = assertThrows(RecastException.class, () -> new EcrCredentials(Optional.of(URI.create(aws.url())))
                    .lookup("123456789012.dkr.ecr.eu-west-1.amazonaws.com"));
            assertEquals(ErrorKind.UPSTREAM_AUTH, error.kind());
            assertTrue(error.getMessage().contains("123456789012"), error.getMessage());
        }
    }

    @Test
    void secretsManagerSecretMapsHostsToCredentials() {
        String secret = "{\\\"registry.example.com\\\":\\\"robot:pa:ss\\\"}";
        try (FakeAws aws = FakeAws.answering(Map.of("secretsmanager.GetSecretValue",
                "{\"ARN\":\"arn:aws:secretsmanager:eu-west-1:123456789012:secret:recast\",\"Name\":\"recast\",\"SecretString\":\"" + secret + "\"}"))) {
            SecretsManagerCredentials credentials = new SecretsManagerCredentials("arn:aws:secretsmanager:eu-west-1:123456789012:secret:recast",
                    Optional.of(URI.create(aws.url())), Optional.of("eu-west-1"));
            assertEquals("pa:ss", credentials.lookup("registry.example.com").orElseThrow().secret());
            assertEquals(Optional.empty(), credentials.lookup("other.example.com"));
            assertEquals(1, aws.calls.size());
        }
    }

    /** The settings the factory sees at start, as the function's environment gives them. */
    private static ConfigSourceContext settings(Map<String, String> values) {
        return new ConfigSourceContext() {
            public ConfigValue getValue(String name) {
                return values.containsKey(name) ? ConfigValue.builder().withName(name).withValue(values.get(name)).build() : null;
            }

            public Iterator<String> iterateNames() {
                return values.keySet().iterator();
            }
        };
    }

    @Test
    void aSecretThatCannotBeReadStopsTheStart() {
        try (FakeAws aws = FakeAws.answering(Map.of())) {
            assertFalse(new SecretSettingsSourceFactory().getConfigSources(settings(Map.of(
                    "recast.lambda.aws-endpoint-override", aws.url()))).iterator().hasNext(), "no secret named, none read");
            assertEquals(List.of(), aws.calls);
            String arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:recast/gone";
            RecastException error = assertThrows(RecastException.class, () -> new SecretSettingsSourceFactory().getConfigSources(
                    settings(Map.of("recast.lambda.settings-secret-arn", arn, "recast.lambda.aws-endpoint-override", aws.url(),
                            "recast.lambda.region", "eu-west-1"))));
            assertEquals(ErrorKind.UPSTREAM_AUTH, error.kind());
            assertTrue(error.getMessage().contains(arn), error.getMessage());
            assertEquals(1, aws.calls.size(), aws.calls.toString());
        }
    }

    @Test
    void timeBudgetRefusesWhatCannotFinishAndStopsWhatRunsLate() {
        LambdaConfig config = new LambdaConfig() {
            public boolean ecrAuth() { return true; }
            public Optional<String> credentialsSecretArn() { return Optional.empty(); }
            public Optional<String> settingsSecretArn() { return Optional.empty(); }
            public Optional<String> apiTokenSecretArn() { return Optional.empty(); }
            public boolean exposeApi() { return false; }
            public Optional<String> awsEndpointOverride() { return Optional.empty(); }
            public Optional<String> region() { return Optional.empty(); }
            public long bytesPerSecond() { return 1_000_000; }
            public java.time.Duration reserve() { return java.time.Duration.ofSeconds(10); }
            public Optional<String> fanoutQueueUrl() { return Optional.empty(); }
            public Optional<Long> fanoutAboveBytes() { return Optional.empty(); }
            public Optional<String> migrationQueueUrl() { return Optional.empty(); }
            public boolean migrationWorker() { return false; }
        };
        var layer = new dev.recast.inspect.ImageInspection.Layer(dev.recast.model.MediaType.DOCKER_LAYER_GZIP,
                dev.recast.model.Digest.sha256(new byte[0]), 100_000_000, "gzip");
        var image = new dev.recast.inspect.ImageInspection("reg.example/big:1", dev.recast.model.MediaType.DOCKER_MANIFEST,
                dev.recast.model.Digest.sha256(new byte[1]), false, null, null, java.util.List.of(
                new dev.recast.inspect.ImageInspection.PlatformImage(null, dev.recast.model.MediaType.DOCKER_MANIFEST,
                        dev.recast.model.Digest.sha256(new byte[1]), false, null, null, java.util.List.of(layer))));
        RecastException refused = assertThrows(RecastException.class, () -> new TimeBudget(() -> 60_000, config).checkFits(image));
        assertEquals(ErrorKind.TOO_LARGE, refused.kind());
        assertTrue(refused.getMessage().contains("nothing was written"), refused.getMessage());
        new TimeBudget(() -> 900_000, config).checkFits(image);
        var late = new TimeBudget(() -> 5_000, config).deadline();
        RecastException stopped = assertThrows(RecastException.class, late::check);
        assertTrue(stopped.getMessage().contains("about to time out"), stopped.getMessage());
        var early = new TimeBudget(() -> 900_000, config).deadline();
        early.check();
        early.end();
    }
}
