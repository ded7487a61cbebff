package dev.recast.webhook;

import dev.recast.RecastException;

/** Where a job goes when every retry failed: logged here; the Lambda sends it to its dead-letter queue. */
public interface DeadLetters {
    void deadLetter(WebhookJob job, RecastException failure);
}
