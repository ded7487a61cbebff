package dev.recast.lambda;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/** What the Lambda function needs beyond the service's configuration ({@code recast.lambda.*}). */
@ConfigMapping(prefix = "recast.lambda")
public interface LambdaConfig {

    /** Use ECR authorization tokens for hosts of the form ACCOUNT.dkr.ecr.REGION.amazonaws.com. */
    @WithDefault("true")
    boolean ecrAuth();

    /** A Secrets Manager secret whose string is a JSON object {"host": "user:password", ...}. */
    Optional<String> credentialsSecretArn();

    /**
     * A Secrets Manager secret whose string is a JSON object of secret settings, e.g.
     * {@code {"recast.webhooks.github.secret": "…"}}, read once at start ({@link SecretSettingsSourceFactory}).
     */
    Optional<String> settingsSecretArn();

    /** A Secrets Manager secret whose string is the API token ({@code recast.api.token}), read once at start. */
    Optional<String> apiTokenSecretArn();

    /**
     * Serve the REST API on the function URL. Off, only {@code /v1/webhooks/{provider}} is forwarded to the service;
     * every other path is answered 404 without reaching it.
     */
    @WithDefault("false")
    boolean exposeApi();

    /** An endpoint for the AWS APIs instead of AWS's own (tests; VPC endpoints). */
    Optional<String> awsEndpointOverride();

    /** The region for Secrets Manager (default: AWS_REGION). */
    Optional<String> region();

    /** Throughput a conversion is assumed to reach, to tell before starting whether it fits in the time left. */
    @WithDefault("20000000")
    long bytesPerSecond();

    /** Time kept back for writing manifests and answering. */
    @WithDefault("10s")
    java.time.Duration reserve();

    /**
     * The SQS queue (its URL) that this function consumes: a list or index too large for one invocation is split
     * there into one message per platform. Without it such an image is refused.
     */
    Optional<String> fanoutQueueUrl();

    /** Split lists and indexes with more layer bytes than this even when they would fit (to convert in parallel). */
    Optional<Long> fanoutAboveBytes();

    /**
     * The SQS queue (its URL) a migration planner sends one message per image to; workers consume it (Terraform: the
     * migration worker function). Without it a migration cannot be fanned out.
     */
    Optional<String> migrationQueueUrl();

    /**
     * This function is the migration worker (Terraform sets it): it serves no API and handles only the image
     * messages ({@code recastMigrationImage}) of its queue, refusing every other event.
     */
    @WithDefault("false")
    boolean migrationWorker();
}
