package dev.recast.lambda;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.util.Optional;

/** Sends part messages to an SQS queue with the function's role. */
public final class SqsPartQueue implements PartQueue, AutoCloseable {
    private final String queueUrl;
    private final SqsClient sqs;

    public SqsPartQueue(String queueUrl, Optional<URI> endpoint, Optional<String> region) {
        this.queueUrl = queueUrl;
        this.sqs = FunctionSqsClient.create(endpoint, region);
    }

    @Override
    public void send(String messageBody) {
        try {
            sqs.sendMessage(request -> request.queueUrl(queueUrl).messageBody(messageBody));
        } catch (SdkException e) {
            throw new RecastException(ErrorKind.UPSTREAM, "cannot send a part message to " + queueUrl + ": "
                    + e.getClass().getSimpleName() + " " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        sqs.close();
    }
}
