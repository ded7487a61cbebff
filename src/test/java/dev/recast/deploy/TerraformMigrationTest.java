package dev.recast.deploy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The migration fan-out's Terraform, offline ({@link TerraformEvaluation}): the queue and its dead-letter queue wired
 * by the redrive policy, the workers' event source mapping and its concurrency, the alarm on the dead-letter queue's
 * depth, and a role for each side: the planner only sends, the workers only receive and delete.
 */
class TerraformMigrationTest {
    private static final Path MODULE = Path.of("terraform");
    private static final String TOKEN_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:recast/api-token-AbCdEf";

    /**
     * main.tf and migration.tf as one file (migration.tf uses main.tf's locals), evaluated with the variables'
     * defaults, valid required values and {@code changes}.
     */
    private static Map<String, Object> evaluate(Map<String, Object> changes) {
        Map<String, Object> values = new HashMap<>();
        TerraformEvaluation.map(TerraformEvaluation.parse(MODULE.resolve("variables.tf"), Map.of()), "variable")
                .forEach((name, variable) -> {
                    if (((Map<?, ?>) variable).containsKey("default")) {
                        values.put(name, ((Map<?, ?>) variable).get("default"));
                    }
                });
        values.putAll(Map.of("allowed_registries", List.of("ghcr.io"), "api_token_secret_arn", TOKEN_ARN));
        values.putAll(changes);
        try {
            Path both = Files.createTempFile("recast-module", ".tf");
            Files.writeString(both, Files.readString(MODULE.resolve("main.tf")) + "\n"
                    + Files.readString(MODULE.resolve("migration.tf")));
            try {
                return TerraformEvaluation.parse(both, values);
            } finally {
                Files.delete(both);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> resource(Map<String, Object> module, String type, String name) {
        return TerraformEvaluation.map(module, "resource", type, name);
    }

    /** A list's items as strings; a reference hcl4j leaves unevaluated, as one string. */
    private static List<String> strings(Object list) {
        return list instanceof List<?> items ? items.stream().map(String::valueOf).toList() : List.of(String.valueOf(list));
    }

    /** A policy document's statements, the dynamic ones included when their for_each is not empty. */
    private static List<Map<String, Object>> statements(Map<String, Object> module, String document) {
        Map<String, Object> policy = TerraformEvaluation.map(module, "data", "aws_iam_policy_document", document);
        List<Map<String, Object>> statements = new ArrayList<>(TerraformEvaluation.all(policy.get("statement")));
        Object dynamic = policy.get("dynamic");
        if (dynamic != null) {
            for (Map<String, Object> block : TerraformEvaluation.all(((Map<?, ?>) dynamic).get("statement"))) {
                if (!((List<?>) block.get("for_each")).isEmpty()) {
                    statements.add(TerraformEvaluation.map(block, "content"));
                }
            }
        }
        return statements;
    }

    /** Every SQS action a document grants on a queue (named by its resource reference). */
    private static Set<String> sqsActions(List<Map<String, Object>> statements, String queue) {
        Set<String> actions = new TreeSet<>();
        for (Map<String, Object> statement : statements) {
            if (strings(statement.get("resources")).contains(queue)) {
                strings(statement.get("actions")).stream().filter(a -> a.startsWith("sqs:")).forEach(actions::add);
            }
        }
        return actions;
    }

    @Test
    void theMigrationQueueRedrivesToItsOwnDeadLetterQueue() {
        Map<String, Object> module = evaluate(Map.of("migration_max_receive_count", 4.0));
        String redrive = String.valueOf(resource(module, "aws_sqs_queue", "migration").get("redrive_policy"));
        assertTrue(redrive.contains("aws_sqs_queue.migration_dead_letters.arn"), redrive);
        assertTrue(redrive.contains("maxReceiveCount") && redrive.contains("4"), redrive);
        Map<String, Object> allow = resource(module, "aws_sqs_queue_redrive_allow_policy", "migration_dead_letters");
        assertEquals("aws_sqs_queue.migration_dead_letters.id", String.valueOf(allow.get("queue_url")));
        String sources = String.valueOf(allow.get("redrive_allow_policy"));
        assertTrue(sources.contains("byQueue") && sources.contains("aws_sqs_queue.migration.arn"), sources);
        assertEquals("aws_sqs_queue.work.arn", String.valueOf(resource(evaluate(Map.of()),
                "aws_lambda_event_source_mapping", "work").get("event_source_arn")), "the fan-out queue is another one");
    }

    @Test
    void workersConsumeTheQueueAtTheChosenConcurrencyReportingFailuresPerMessage() {
        Map<String, Object> defaults = evaluate(Map.of());
        Map<String, Object> mapping = resource(defaults, "aws_lambda_event_source_mapping", "migration");
        assertEquals("aws_sqs_queue.migration.arn", String.valueOf(mapping.get("event_source_arn")));
        assertEquals("aws_lambda_alias.migration_worker.arn", String.valueOf(mapping.get("function_name")));
        assertEquals(List.of("ReportBatchItemFailures"), strings(mapping.get("function_response_types")));
        assertEquals(1.0, mapping.get("batch_size"));
        assertEquals(10.0, TerraformEvaluation.map(mapping, "scaling_config").get("maximum_concurrency"));
        Map<String, Object> chosen = resource(evaluate(Map.of("migration_worker_concurrency", 25.0)),
                "aws_lambda_event_source_mapping", "migration");
        assertEquals(25.0, TerraformEvaluation.map(chosen, "scaling_config").get("maximum_concurrency"));
        Map<String, Object> worker = resource(defaults, "aws_lambda_function", "migration_worker");
        assertEquals("aws_iam_role.migration_worker.arn", String.valueOf(worker.get("role")));
        assertEquals("java21", worker.get("runtime"), "the same package as the function");
    }

    @Test
    void anAlarmWatchesTheDeadLetterQueueDepth() {
        Map<String, Object> alarm = resource(evaluate(Map.of("alarm_actions",
                List.of("arn:aws:sns:eu-west-1:123456789012:ops"))), "aws_cloudwatch_metric_alarm", "migration_dead_letters");
        assertEquals("AWS/SQS", alarm.get("namespace"));
        assertEquals("ApproximateNumberOfMessagesVisible", alarm.get("metric_name"));
        assertEquals("aws_sqs_queue.migration_dead_letters.name",
                String.valueOf(TerraformEvaluation.map(alarm, "dimensions").get("QueueName")));
        assertEquals("GreaterThanThreshold", alarm.get("comparison_operator"));
        assertEquals(0.0, ((Number) alarm.get("threshold")).doubleValue());
        assertEquals(List.of("arn:aws:sns:eu-west-1:123456789012:ops"), strings(alarm.get("alarm_actions")));
    }

    @Test
    void thePlannerOnlySendsAndTheWorkersOnlyReceiveAndDelete() {
        Map<String, Object> ecr = Map.of("ecr_repositories", List.of("team/app"));
        List<Map<String, Object>> planner = statements(evaluate(ecr), "function");
        List<Map<String, Object>> worker = statements(evaluate(ecr), "migration_worker");
        assertEquals(Set.of("sqs:SendMessage"), sqsActions(planner, "aws_sqs_queue.migration.arn"));
        assertEquals(Set.of("sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"),
                sqsActions(worker, "aws_sqs_queue.migration.arn"));
        for (Map<String, Object> statement : worker) {
            List<String> actions = strings(statement.get("actions"));
            assertFalse(actions.contains("sqs:SendMessage"), "the workers send nowhere: " + statement);
            assertTrue(actions.stream().noneMatch(a -> a.endsWith("*")), "no wildcard action: " + statement);
            if (actions.stream().anyMatch(a -> a.startsWith("sqs:"))) {
                assertEquals(List.of("aws_sqs_queue.migration.arn"), strings(statement.get("resources")));
            }
        }
        assertTrue(worker.stream().anyMatch(s -> strings(s.get("actions")).contains("ecr:PutImage")),
                "the workers write the converted images");
        Map<String, Object> workerEnvironment = TerraformEvaluation.map(resource(evaluate(Map.of()),
                "aws_lambda_function", "migration_worker"), "environment", "variables");
        assertEquals("", workerEnvironment.get("RECAST_LAMBDA_MIGRATION_QUEUE_URL"), "a worker plans nothing");
        assertEquals("", workerEnvironment.get("RECAST_LAMBDA_FANOUT_QUEUE_URL"));
    }

    @Test
    void theWorkersServeNoApiAndCannotReadTheApiToken() {
        String credentials = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:recast/credentials-XyZ123";
        Map<String, Object> module = evaluate(Map.of("credentials_secret_arn", credentials));
        Map<String, Object> environment = TerraformEvaluation.map(resource(module, "aws_lambda_function",
                "migration_worker"), "environment", "variables");
        assertEquals("", environment.get("RECAST_LAMBDA_API_TOKEN_SECRET_ARN"), "no API token for a worker");
        assertEquals("true", environment.get("RECAST_LAMBDA_MIGRATION_WORKER"), "it handles its queue's images only");
        assertEquals("false", environment.get("RECAST_LAMBDA_EXPOSE_API"));
        assertEquals(credentials, environment.get("RECAST_LAMBDA_CREDENTIALS_SECRET_ARN"));
        List<String> readable = statements(module, "migration_worker").stream()
                .filter(s -> strings(s.get("actions")).contains("secretsmanager:GetSecretValue"))
                .flatMap(s -> strings(s.get("resources")).stream()).toList();
        assertEquals(List.of(credentials), readable, "the worker reads the registry credentials, not the API token");
        List<String> plannerReadable = statements(module, "function").stream()
                .filter(s -> strings(s.get("actions")).contains("secretsmanager:GetSecretValue"))
                .flatMap(s -> strings(s.get("resources")).stream()).toList();
        assertTrue(plannerReadable.contains(TOKEN_ARN), "the function serving the API still reads its token");
    }

    @Test
    void theMigrationVariablesAreValidated() {
        Map<String, Object> refusedAt = Map.of("migration_worker_concurrency", 1.0, "migration_batch_size", 11.0,
                "migration_max_receive_count", 0.0);
        refusedAt.forEach((name, value) -> {
            Map<String, Object> variables = TerraformEvaluation.map(TerraformEvaluation.parse(MODULE.resolve("variables.tf"),
                    Map.of(name, value)), "variable");
            Object condition = TerraformEvaluation.all(((Map<?, ?>) variables.get(name)).get("validation")).getFirst().get("condition");
            assertEquals(false, condition, name + " = " + value);
        });
        Map<String, Object> variables = TerraformEvaluation.map(TerraformEvaluation.parse(MODULE.resolve("variables.tf"),
                Map.of("migration_worker_concurrency", 2.0)), "variable");
        assertEquals(true, TerraformEvaluation.all(((Map<?, ?>) variables.get("migration_worker_concurrency"))
                .get("validation")).getFirst().get("condition"));
    }
}
