package dev.recast.lambda;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.migrate.ImageResult;
import dev.recast.migrate.MigrationReport;
import dev.recast.migrate.MigrationRequest;
import dev.recast.migrate.MigrationResults;
import dev.recast.migrate.MigrationService;
import dev.recast.migrate.MigrationSummary;
import dev.recast.migrate.MigrationTotals;
import dev.recast.service.ConversionSlots;
import dev.recast.service.ConversionService;
import dev.recast.service.MigrationRequestBody;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * A registry migration fanned out over SQS. The planner lists the registry with the migration's own planning (a dry
 * run: selection, Recast's outputs left out, images already converted skipped), records the plan in the registry and
 * sends one message per image left; each worker converts one image, records its result beside the plan and fails
 * the message when the image failed, so that SQS delivers it again and, after the queue's maxReceiveCount, moves it
 * to the dead-letter queue. The summary is read back from the registry: no state anywhere else.
 */
@ApplicationScoped
public class MigrationFanOut {
    private static final Logger LOG = Logger.getLogger(MigrationFanOut.class);
    private final MigrationService migrations;
    private final ConversionService conversions;
    private final LambdaConfig config;
    private final ObjectMapper json;

    public MigrationFanOut(MigrationService migrations, ConversionService conversions, LambdaConfig config,
                           ObjectMapper json) {
        this.migrations = migrations;
        this.conversions = conversions;
        this.config = config;
        this.json = json;
    }

    /** What a planner invocation did: the run to ask the summary of, the messages sent, the plan's counts. */
    @RegisterForReflection
    public record Receipt(String runId, String registry, int queued, MigrationTotals planned,
                         List<ImageResult> failures, String note) {
    }

    /** {@code {"recastMigrationSummary": {...}}}: which run of which registry. */
    @RegisterForReflection
    public record SummaryRequest(String registry, String runId) {
    }

    /** Plans and enqueues; a dry run answers the plan (the report) and sends nothing. */
    public Object plan(MigrationRequestBody body) {
        String queueUrl = config.migrationQueueUrl().orElseThrow(() -> new RecastException(ErrorKind.BAD_REQUEST,
                "this function has no migration queue (recast.lambda.migration-queue-url): it cannot fan a migration out"));
        MigrationRequest request = migrations.request(body == null ? null : body.withDryRun(true));
        MigrationReport plan;
        try (ConversionSlots.Slot ignored = conversions.claimSlot()) {
            plan = migrations.runInSlot(request, result -> {
            });
        }
        if (Boolean.TRUE.equals(body.dryRun())) {
            return plan;
        }
        String runId = MigrationResults.newRunId();
        migrations.results().recordPlan(runId, plan);
        MigrationRequestBody work = body.withDryRun(null);
        List<String> messages = plan.images().stream().filter(i -> i.status() == ImageResult.Status.PLANNED)
                .map(i -> write(Map.of("recastMigrationImage", new MigrationMessage(runId, i.repository(), i.tag(), work))))
                .toList();
        try (SqsMigrationQueue queue = new SqsMigrationQueue(queueUrl, config.awsEndpointOverride().map(URI::create),
                config.region())) {
            queue.sendAll(messages);
        }
        LOG.infof("migration planned run=%s registry=%s queued=%d already_converted=%d failed=%d", runId,
                request.registry(), messages.size(), plan.totals().skipped(), plan.totals().failed());
        return new Receipt(runId, request.registry(), messages.size(), plan.totals(), plan.failures(),
                messages.size() + " image messages sent to " + queueUrl + "; ask for the summary with "
                        + "{\"recastMigrationSummary\":{\"registry\":\"" + request.registry() + "\",\"runId\":\"" + runId + "\"}}");
    }

    /**
     * Converts one image and records the result; a failed image fails the message (retried, then dead-lettered).
     * The conversion stops before the invocation's timeout, so even an image too large for it is recorded as failed.
     */
    public ImageResult work(MigrationMessage message, TimeBudget budget) {
        if (message.request() == null || message.runId() == null || message.repository() == null || message.tag() == null) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "a migration message needs runId, repository, tag and request");
        }
        MigrationRequest request = migrations.request(message.request().withDryRun(null));
        ImageResult result = migrations.migrate(request, message.repository(), message.tag(), budget.deadline());
        migrations.results().record(request.registry(), message.runId(), result);
        if (result.status() == ImageResult.Status.FAILED) {
            throw new RecastException(result.errorKind() != null ? result.errorKind() : ErrorKind.UPSTREAM,
                    "migration run " + message.runId() + ": " + request.registry() + "/" + message.repository() + ":"
                            + message.tag() + " failed: " + result.note());
        }
        return result;
    }

    /** The run as its workers recorded it so far. */
    public MigrationSummary summary(SummaryRequest request) {
        if (request.registry() == null || request.runId() == null) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "a migration summary needs registry and runId");
        }
        String registry = MigrationRequest.registryHost(request.registry());
        conversions.checkRegistry(registry);
        return migrations.results().summary(registry, request.runId());
    }

    private String write(Object message) {
        try {
            return json.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
