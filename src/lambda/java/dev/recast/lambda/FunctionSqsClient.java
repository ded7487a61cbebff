package dev.recast.lambda;

import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;

import java.net.URI;
import java.util.Optional;

/** The SQS client the function's queues share: the function's role, the URL-connection HTTP client (no Netty). */
final class FunctionSqsClient {
    private FunctionSqsClient() {
    }

    /** A client for the configured region, or the SDK's default; {@code endpoint} overrides AWS's (e.g. ElasticMQ). */
    static SqsClient create(Optional<URI> endpoint, Optional<String> region) {
        SqsClientBuilder builder = SqsClient.builder().httpClient(UrlConnectionHttpClient.create());
        region.map(Region::of).ifPresent(builder::region);
        endpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }
}
