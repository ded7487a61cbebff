package dev.recast.webhook;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.service.ConversionService;
import dev.recast.service.RecastConfig;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Turns push events into jobs by the configured rules ({@link WebhookPlanner}) and runs them on a bounded pool,
 * answering at once. Loop-safe: Recast's own pushes come back as events and are recognised (its registry users, tags
 * its rules produce, manifests carrying its annotations, images already OCI + zstd). Idempotent: the same job (same
 * digest, same target) while one runs, or again within the dedupe window, is acknowledged without work; an index job
 * asked for while it runs runs once more afterwards, so a re-pushed arch is never lost. Replay-safe: a conversion
 * whose tag names another digest by the time it runs is skipped as superseded.
 */
@ApplicationScoped
public class WebhookProcessor {
    private static final Logger LOG = Logger.getLogger(WebhookProcessor.class);

    private final RecastConfig.Webhooks config;
    private final WebhookPlanner planner;
    private final WebhookWork work;
    private final ThreadPoolExecutor workers;
    private final Map<String, AtomicBoolean> inFlight = new ConcurrentHashMap<>();
    private final Map<String, Long> recentlyDone = new ConcurrentHashMap<>();
    private final MeterRegistry metrics;
    private final DeadLetters deadLetters;

    /** What a delivery planned, for its 202 answer. */
    public record Receipt(String provider, int events, List<String> jobs, List<String> ignored) {
    }

    public WebhookProcessor(ConversionService service, RecastConfig config, MeterRegistry metrics,
                            Instance<DeadLetters> deadLetters) {
        this.config = config.webhooks();
        this.metrics = metrics;
        Map<String, String> aliases = new HashMap<>();
        for (String alias : this.config.registryAliases().orElse(List.of())) {
            int eq = alias.indexOf('=');
            if (eq <= 0) {
                throw new RecastException(ErrorKind.BAD_REQUEST, "recast.webhooks.registry-aliases entries are from=to");
            }
            aliases.put(alias.substring(0, eq).trim(), alias.substring(eq + 1).trim());
        }
        WebhookRule byDefault = WebhookRule.convertingTo("{repository}:" + service.defaultTargetTag("{tag}"));
        this.planner = new WebhookPlanner(parseRules(this.config.rules().orElse(null), byDefault), aliases,
                Set.copyOf(this.config.ownUsers().orElse(List.of())), service, metrics);
        // once a target holds a digest's conversion, another digest's push to the tag (a roll-back) is new work
        this.work = new WebhookWork(service, moved -> recentlyDone.keySet()
                .removeIf(key -> key.endsWith("|" + moved.target()) && !key.equals(moved.key())));
        this.workers = new ThreadPoolExecutor(this.config.workers(), this.config.workers(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(this.config.queue()), Thread.ofPlatform().name("recast-webhook-", 1).daemon().factory());
        this.deadLetters = deadLetters.isResolvable() ? deadLetters.get()
                : (job, failure) -> LOG.errorf("webhook job gave up: %s: %s", job.describe(), failure.getMessage());
    }

    /** Planning may read the registry once per event: a delivery gets a bounded number of them. */
    private List<PushEvent> bounded(List<PushEvent> received) {
        if (received.size() > config.maxEvents()) {
            throw new RecastException(ErrorKind.TOO_LARGE, "the delivery holds " + received.size() + " push events, over "
                    + config.maxEvents() + " (recast.webhooks.max-events)");
        }
        return received;
    }

    /** The configured rules; none configured: {@code byDefault}. */
    static List<WebhookRule> parseRules(String json, WebhookRule byDefault) {
        if (json == null || json.isBlank()) {
            return List.of(byDefault);
        }
        try {
            List<WebhookRule> parsed = new ObjectMapper().readValue(json, new TypeReference<List<WebhookRule>>() {
            });
            if (parsed.isEmpty()) {
                throw new RecastException(ErrorKind.BAD_REQUEST, "recast.webhooks.rules is an empty list");
            }
            return parsed;
        } catch (IOException e) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "recast.webhooks.rules is not a valid JSON list of rules: "
                    + e.getMessage(), e);
        }
    }

    /** Plans and queues the jobs for a delivery's push events; refuses (400) events naming hosts not allowed. */
    public Receipt accept(Provider provider, List<PushEvent> received) {
        WebhookPlanner.Plan plan = planner.plan(provider, bounded(received));
        List<String> planned = new ArrayList<>();
        for (WebhookJob job : plan.jobs()) {
            planned.add(submit(job));
        }
        return new Receipt(provider.pathName(), received.size(), planned, plan.ignored());
    }

    /**
     * Plans and runs the jobs now, in this thread (where nothing may run after the answer, as in Lambda), and
     * returns each job's outcome; a job that still fails after its retries throws, so the caller's retry applies.
     */
    public Receipt runNow(Provider provider, List<PushEvent> received) {
        WebhookPlanner.Plan plan = planner.plan(provider, bounded(received));
        List<String> outcomes = new ArrayList<>();
        for (WebhookJob job : plan.jobs()) {
            if (inFlight.putIfAbsent(job.key(), new AtomicBoolean()) != null) {
                outcomes.add(job.describe() + ": running already");
                continue;
            }
            try {
                outcomes.add(job.describe() + ": " + attempt(job));
            } finally {
                inFlight.remove(job.key());
            }
        }
        return new Receipt(provider.pathName(), received.size(), outcomes, plan.ignored());
    }

    private String submit(WebhookJob job) {
        long now = System.nanoTime();
        recentlyDone.values().removeIf(expiry -> expiry < now);
        if (recentlyDone.containsKey(job.key())) {
            count("duplicate", job.kind());
            return job.describe() + " (done already)";
        }
        AtomicBoolean again = inFlight.putIfAbsent(job.key(), new AtomicBoolean());
        if (again != null) {
            again.set(true);
            count("duplicate", job.kind());
            return job.describe() + " (running already)";
        }
        try {
            workers.execute(() -> run(job));
        } catch (RejectedExecutionException e) {
            inFlight.remove(job.key());
            throw new RecastException(ErrorKind.BUSY, "the webhook queue is full (" + config.queue() + " jobs)");
        }
        return job.describe();
    }

    private void run(WebhookJob job) {
        AtomicBoolean rerun = inFlight.get(job.key());
        boolean settled = false;
        try {
            do {
                rerun.set(false);
                settled = runWithRetries(job);
            } while (job.kind() == WebhookJob.Kind.INDEX && rerun.get());
        } finally {
            if (settled) {
                recentlyDone.put(job.key(), System.nanoTime() + config.dedupeWindow().toNanos());
            }
            inFlight.remove(job.key());
        }
    }

    /** Runs a job in the background; true when its outcome is final (a redelivery then needs no work). */
    private boolean runWithRetries(WebhookJob job) {
        try {
            return !attempt(job).equals("waiting");
        } catch (RecastException e) {
            deadLetters.deadLetter(job, e);
            return false;
        }
    }

    /** Runs a job, retrying what may pass (registry failures, a busy service); returns its outcome or throws. */
    private String attempt(WebhookJob job) {
        for (int attempt = 1; ; attempt++) {
            try {
                String outcome = job.kind() == WebhookJob.Kind.CONVERT ? work.convert(job) : work.index(job);
                count(outcome, job.kind());
                LOG.infof("webhook job=%s outcome=%s", job.describe(), outcome);
                return outcome;
            } catch (RecastException e) {
                boolean retryable = e.kind() == ErrorKind.UPSTREAM || e.kind() == ErrorKind.BUSY || e.kind() == ErrorKind.IO;
                if (!retryable || attempt >= config.maxAttempts()) {
                    count("failed", job.kind());
                    throw e;
                }
                LOG.warnf("webhook job=%s attempt=%d failed, retrying: %s", job.describe(), attempt, e.getMessage());
                sleep(config.retryDelay().multipliedBy(attempt));
            } catch (RuntimeException e) {
                count("failed", job.kind());
                throw new RecastException(ErrorKind.IO, "unexpected failure: " + e, e);
            }
        }
    }

    private void count(String outcome, WebhookJob.Kind kind) {
        metrics.counter("recast.webhook.jobs", "kind", kind.name().toLowerCase(java.util.Locale.ROOT), "outcome", outcome)
                .increment();
    }

    /** Jobs that finished with this outcome, for tests and the dashboard. */
    public double jobs(WebhookJob.Kind kind, String outcome) {
        var counter = metrics.find("recast.webhook.jobs").tags("kind", kind.name().toLowerCase(java.util.Locale.ROOT),
                "outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    /** Events of a provider that ended with this result (accepted, ignored, refused). */
    public double events(Provider provider, String result) {
        return planner.events(provider, result);
    }

    /** True while any job runs or waits. */
    public boolean busy() {
        return !inFlight.isEmpty();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RecastException(ErrorKind.IO, "interrupted", e);
        }
    }

    @PreDestroy
    void stop() {
        workers.shutdownNow();
    }
}
