package dev.recast.lambda;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Sends a migration's image messages to its SQS queue with the function's role, ten per SendMessageBatch. */
public final class SqsMigrationQueue implements AutoCloseable {
    /** The most entries SendMessageBatch takes. */
    static final int BATCH = 10;
    private final String queueUrl;
    private final SqsClient sqs;

    public SqsMigrationQueue(String queueUrl, Optional<URI> endpoint, Optional<String> region) {
        this.queueUrl = queueUrl;
        this.sqs = FunctionSqsClient.create(endpoint, region);
    }

    /**
     * Sends every body; entries SQS refuses in a batch (throttling, a moment's error) are sent once more, alone with
     * the other refused ones. Fails naming how many went out: a planner rerun plans only what is not converted yet.
     */
    public void sendAll(List<String> bodies) {
        int sent = 0;
        for (int start = 0; start < bodies.size(); start += BATCH) {
            List<String> batch = bodies.subList(start, Math.min(bodies.size(), start + BATCH));
            List<BatchResultErrorEntry> refused = send(batch);
            if (!refused.isEmpty()) {
                refused = send(refused.stream().map(e -> batch.get(Integer.parseInt(e.id()))).toList());
            }
            if (!refused.isEmpty()) {
                BatchResultErrorEntry first = refused.getFirst();
                throw new RecastException(ErrorKind.UPSTREAM, (sent + batch.size() - refused.size()) + " of "
                        + bodies.size() + " migration messages sent to " + queueUrl + "; SQS refused " + refused.size()
                        + " twice (" + first.code() + ": " + first.message() + ")");
            }
            sent += batch.size();
        }
    }

    /** One SendMessageBatch of at most ten bodies, entry ids their positions; answers the refused entries. */
    private List<BatchResultErrorEntry> send(List<String> batch) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            entries.add(SendMessageBatchRequestEntry.builder().id(String.valueOf(i)).messageBody(batch.get(i)).build());
        }
        try {
            SendMessageBatchResponse response = sqs.sendMessageBatch(r -> r.queueUrl(queueUrl).entries(entries));
            return response.failed();
        } catch (SdkException e) {
            throw new RecastException(ErrorKind.UPSTREAM, "cannot send migration messages to " + queueUrl + ": "
                    + e.getClass().getSimpleName() + " " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        sqs.close();
    }
}
