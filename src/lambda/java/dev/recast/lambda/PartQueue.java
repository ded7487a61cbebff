package dev.recast.lambda;

/** Where a fan-out's part messages go: the SQS queue the function consumes. */
public interface PartQueue {

    void send(String messageBody);
}
