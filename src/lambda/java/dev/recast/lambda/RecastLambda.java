package dev.recast.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.service.ConversionRequestBody;
import dev.recast.service.IndexRequestBody;
import dev.recast.api.ProblemMappers;
import dev.recast.service.RequestCommands;
import dev.recast.convert.ConversionListener;
import dev.recast.convert.ConvertedParts;
import dev.recast.convert.TagGuard;
import dev.recast.convert.ManifestFormat;
import dev.recast.inspect.ImageInspection;
import dev.recast.service.ConversionService;
import dev.recast.service.ConversionSlots;
import dev.recast.service.MigrationRequestBody;
import dev.recast.webhook.EcrParser;
import dev.recast.webhook.Provider;
import dev.recast.webhook.WebhookProcessor;
import jakarta.inject.Named;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;

/**
 * The one Lambda handler. It tells the event kinds apart by their shape: function URL / HTTP API v2 requests (any
 * /v1/ call, webhooks included), SQS batches (partial failures reported), EventBridge "ECR Image Action" events (the
 * webhook rules), and direct invocations with the REST API's conversion or index request, or a registry migration to
 * fan out over SQS ({@link MigrationFanOut}: the planner, its workers' messages, the summary).
 */
@Named("recast")
public class RecastLambda implements RequestHandler<JsonNode, JsonNode> {
    private static final Logger LOG = Logger.getLogger(RecastLambda.class);
    private final ObjectMapper json;
    private final HttpEventRouter http;
    private final RequestCommands commands;
    private final ConversionService service;
    private final WebhookProcessor webhooks;
    private final LambdaConfig config;
    private final PlatformFanOut fanOut;
    private final MigrationFanOut migrations;

    public RecastLambda(ObjectMapper json, HttpEventRouter http, RequestCommands commands, ConversionService service,
                        WebhookProcessor webhooks, LambdaConfig config, PlatformFanOut fanOut,
                        MigrationFanOut migrations) {
        this.fanOut = fanOut;
        this.migrations = migrations;
        this.json = json;
        this.http = http;
        this.commands = commands;
        this.service = service;
        this.webhooks = webhooks;
        this.config = config;
    }

    @Override
    public JsonNode handleRequest(JsonNode event, Context context) {
        TimeBudget budget = new TimeBudget(context::getRemainingTimeInMillis, config);
        if (config.migrationWorker() && !(event != null && event.has("Records"))) {
            return problem(new RecastException(ErrorKind.BAD_REQUEST, "this function is the migration worker: it "
                    + "handles only {\"recastMigrationImage\":…} messages from its SQS queue, not this event"));
        }
        if (event != null && HttpEventRouter.isHttpEvent(event)) {
            return http.route(event);
        }
        if (event != null && event.has("Records")) {
            return sqsBatch(event.get("Records"), budget);
        }
        try {
            return json.valueToTree(handle(event, budget));
        } catch (RecastException e) {
            if (isEcrEvent(event) && e.kind() != ErrorKind.BAD_REQUEST) {
                // EventBridge invokes asynchronously: failing lets Lambda retry, then hand the event to the DLQ
                throw new LambdaFailure(e.getMessage());
            }
            return problem(e);
        }
    }

    private ObjectNode problem(RecastException e) {
        ObjectNode problem = json.createObjectNode();
        problem.set("problem", json.valueToTree(ProblemMappers.problem(e)));
        return problem;
    }

    /** One event that is not HTTP or SQS: an ECR push, an index request or a conversion request. */
    private Object handle(JsonNode event, TimeBudget budget) {
        if (event == null || !event.isObject()) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "the event is not a JSON object");
        }
        if (config.migrationWorker() && !event.has("recastMigrationImage")) {
            List<String> fields = new ArrayList<>();
            event.fieldNames().forEachRemaining(fields::add);
            throw new RecastException(ErrorKind.BAD_REQUEST, "this function is the migration worker: it handles only "
                    + "{\"recastMigrationImage\":…} messages, not one with fields " + fields);
        }
        if (isEcrEvent(event)) {
            return webhooks.runNow(Provider.ECR, new EcrParser().parse(event));
        }
        if (event.has("recastPart")) {
            return fanOut.runPart(read(event.get("recastPart"), FanOutPart.class), budget);
        }
        if (event.has("recastMigration")) {
            return migrations.plan(read(event.get("recastMigration"), MigrationRequestBody.class));
        }
        if (event.has("recastMigrationImage")) {
            return migrations.work(read(event.get("recastMigrationImage"), MigrationMessage.class), budget);
        }
        if (event.has("recastMigrationSummary")) {
            return migrations.summary(read(event.get("recastMigrationSummary"), MigrationFanOut.SummaryRequest.class));
        }
        if (event.has("sources")) {
            return service.index(commands.index(read(event, IndexRequestBody.class)));
        }
        if (event.has("source") && !event.has("detail-type")) {
            RequestCommands.Conversion conversion = commands.conversion(read(event, ConversionRequestBody.class));
            ImageInspection image = service.inspect(conversion.source());
            // a part message carries compression and level only: variants, forced in-place runs and the way back (v2s2,
            // whose parts carry no annotations by which the assembly would know them) stay whole
            // nor does a run in place: its assembly reads the source by digest, so the tag's guard (consent, compare
            // before write) would no longer see it in place, and its part tags would land in the production repository
            boolean splittable = !conversion.options().dryRun() && conversion.options().variants().isEmpty()
                    && !conversion.options().force() && conversion.options().format() == ManifestFormat.OCI
                    && !TagGuard.mayBeInPlace(conversion.source(), conversion.target());
            if (splittable && fanOut.shouldSplit(image, budget.fits(image))) {
                return fanOut.split(conversion, image);
            }
            budget.checkFits(image);
            try (ConversionSlots.Slot ignored = service.claimSlot()) {
                return service.convertInSlot(conversion.source(), conversion.target(), conversion.options(),
                        ConversionListener.NONE, ConvertedParts.NONE, budget.deadline());
            }
        }
        List<String> fields = new ArrayList<>();
        event.fieldNames().forEachRemaining(fields::add);
        throw new RecastException(ErrorKind.BAD_REQUEST, "unknown event (fields " + fields + "): expected a conversion "
                + "request {\"source\":…}, an index request {\"target\":…,\"sources\":[…]}, a fan-out part "
                + "{\"recastPart\":…}, a migration {\"recastMigration\":…}, its image message {\"recastMigrationImage\":…} or "
                + "summary {\"recastMigrationSummary\":…}, an EventBridge ECR Image Action, a function URL / HTTP API v2 request or an SQS batch");
    }

    /** Each SQS message body is one event; failed messages are reported so that only they come back. */
    private JsonNode sqsBatch(JsonNode records, TimeBudget budget) {
        ObjectNode answer = json.createObjectNode();
        ArrayNode failures = answer.putArray("batchItemFailures");
        for (JsonNode record : records) {
            String id = record.path("messageId").asText();
            try {
                handle(json.readTree(record.path("body").asText("")), budget);
            } catch (RecastException | JsonProcessingException e) {
                LOG.warnf("sqs message=%s failed: %s", id, e.getMessage());
                failures.addObject().put("itemIdentifier", id);
            }
        }
        return answer;
    }

    /**
     * The target is the source's own tag, or a tag of the source's repository when the source is pinned by digest
     * alone (then the tag may name it): the whole run decides, refusing without consent before anything is written.
     */
    private static boolean isEcrEvent(JsonNode event) {
        return event != null && "aws.ecr".equals(event.path("source").asText()) && event.has("detail-type");
    }

    private <T> T read(JsonNode event, Class<T> type) {
        try {
            return json.treeToValue(event, type);
        } catch (JsonProcessingException e) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "the event is not a valid " + type.getSimpleName() + ": "
                    + e.getOriginalMessage());
        }
    }

    /** A failure Lambda should retry; its message says what failed, without a stack trace. */
    static final class LambdaFailure extends RuntimeException {
        LambdaFailure(String message) {
            super(message, null, false, false);
        }
    }
}
