package dev.recast.registry.http;

import dev.recast.ErrorKind;
import dev.recast.RecastException;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * The one rule for trying again, used by every request and every resume (chunk uploads, blob downloads, mounts):
 * which failures are worth another try (a lost connection, 429, 500, 502, 503, 504), how many tries a step gets, and
 * how long to wait between them (the registry's {@code Retry-After}, else exponential backoff from a base with
 * jitter, never over 30 s). Non-idempotent requests are sent once; their steps resume instead (see
 * {@link BlobUpload}).
 *
 * @param maxAttempts tries per step, the first one included
 * @param base        the first backoff, doubled each try
 * @param jitter      a number in [0, 1) that spreads clients apart
 */
public record RetryRule(int maxAttempts, Duration base, DoubleSupplier jitter) {
    static final long MAX_DELAY_MILLIS = 30_000;

    public RetryRule {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("at least one attempt is needed");
        }
    }

    public static RetryRule of(RegistrySettings settings) {
        return new RetryRule(settings.maxAttempts(), settings.retryBase(), () -> ThreadLocalRandom.current().nextDouble());
    }

    /** How many times a request may be sent: idempotent ones up to the limit, others once. */
    public int attemptsFor(RegistryCall call) {
        return call.idempotent() ? maxAttempts : 1;
    }

    /** Whether a step that has made {@code attempts} tries may make another. */
    public boolean allowsAnother(int attempts) {
        return attempts < maxAttempts;
    }

    /** Statuses that say "not now" rather than "no": throttling and server or gateway trouble. */
    public static boolean isRetryable(int status) {
        return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
    }

    /**
     * Whether a failed request may succeed when sent again: a lost connection (no registry answer) or a retryable
     * status. A refusal (401, 403, 404, 400 with an error code) will be the same next time.
     */
    public static boolean isTransient(RecastException failure) {
        return failure.kind() == ErrorKind.UPSTREAM
                && failure.registryError().map(error -> isRetryable(error.status())).orElse(true);
    }

    /** Whether a step that has made {@code attempts} tries and then failed this way should try again. */
    public boolean retries(int attempts, RecastException failure) {
        return allowsAnother(attempts) && isTransient(failure);
    }

    /** How long to wait before try {@code attempt + 1}: what {@code Retry-After} asks, else backoff with jitter. */
    public long delayMillis(int attempt, String retryAfter) {
        long millis = retryAfterMillis(retryAfter).orElseGet(() -> {
            long backoff = base.toMillis() << Math.min(attempt - 1, 10);
            return (long) (backoff * (0.5 + jitter.getAsDouble()));
        });
        return Math.min(millis, MAX_DELAY_MILLIS);
    }

    /** A {@code Retry-After} value in seconds or as an HTTP date, in milliseconds from now. */
    static Optional<Long> retryAfterMillis(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Math.max(0, Long.parseLong(value.trim())) * 1000);
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime when = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                return Optional.of(Math.max(0, Duration.between(ZonedDateTime.now(), when).toMillis()));
            } catch (RuntimeException notDate) {
                return Optional.empty();
            }
        }
    }

    /** Waits before the next try; an interrupt ends the wait and the step. */
    void pause(long millis, String action) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RecastException(ErrorKind.IO, "interrupted while waiting to retry " + action, e);
        }
    }
}
