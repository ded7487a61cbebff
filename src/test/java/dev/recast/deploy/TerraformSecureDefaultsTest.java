package dev.recast.deploy;

import dev.recast.lambda.LambdaConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Terraform module's secure defaults, offline: its validations, locals, counts and policies are evaluated by
 * hcl4j for given variable values ({@link TerraformEvaluation}), as {@code terraform plan} would see them.
 */
class TerraformSecureDefaultsTest {
    private static final Path MODULE = Path.of("terraform");
    private static final String TOKEN_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:recast/api-token-AbCdEf";
    private static final String SETTINGS_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:recast/settings-GhIjKl";
    private static final String CREDENTIALS_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:recast/registries-MnOpQr";
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(secret|token|password|credentials)");

    /** A configuration every validation accepts, with some values replaced. */
    private static Map<String, Object> valid(Map<String, Object> changes) {
        Map<String, Object> values = new HashMap<>(Map.of("allowed_registries", List.of("ghcr.io"), "api_token_secret_arn", TOKEN_ARN));
        values.putAll(changes);
        return values;
    }

    /** The variables whose validations refuse these values (each variable's conditions evaluated). */
    private static Set<String> refused(Map<String, Object> changes) {
        Map<String, Object> variables = TerraformEvaluation.map(TerraformEvaluation.parse(MODULE.resolve("variables.tf"), valid(changes)), "variable");
        Set<String> refused = new TreeSet<>();
        variables.forEach((name, variable) -> TerraformEvaluation.all(((Map<?, ?>) variable).get("validation")).forEach(validation -> {
            assertTrue(validation.get("condition") instanceof Boolean, name + " evaluates: " + validation);
            if (!(Boolean) validation.get("condition")) {
                refused.add(name);
            }
        }));
        return refused;
    }

    private static Map<String, Object> variables() {
        return TerraformEvaluation.map(TerraformEvaluation.parse(MODULE.resolve("variables.tf"), Map.of()), "variable");
    }

    private static Map<String, Object> variable(String name) {
        return TerraformEvaluation.map(variables(), name);
    }

    /** main.tf evaluated with the variables' defaults (hcl4j reads them from variables.tf only) and these changes. */
    private static Map<String, Object> main(Map<String, Object> changes) {
        Map<String, Object> values = new HashMap<>();
        variables().forEach((name, variable) -> {
            if (((Map<?, ?>) variable).containsKey("default")) {
                values.put(name, ((Map<?, ?>) variable).get("default"));
            }
        });
        values.putAll(valid(changes));
        return TerraformEvaluation.parse(MODULE.resolve("main.tf"), values);
    }

    /** A list of references or strings, as strings (hcl4j keeps references as its own objects). */
    private static List<String> strings(Object list) {
        return ((List<?>) list).stream().map(String::valueOf).toList();
    }

    private static Map<String, Object> environment(Map<String, Object> changes) {
        return TerraformEvaluation.map(main(changes), "resource", "aws_lambda_function", "recast", "environment", "variables");
    }

    /** Every statement of the function's role, the dynamic ones included when their for_each is not empty. */
    private static List<Map<String, Object>> roleStatements(Map<String, Object> changes) {
        Map<String, Object> policy = TerraformEvaluation.map(main(changes), "data", "aws_iam_policy_document", "function");
        List<Map<String, Object>> statements = new ArrayList<>(TerraformEvaluation.all(policy.get("statement")));
        for (Map<String, Object> dynamic : TerraformEvaluation.all(TerraformEvaluation.map(policy, "dynamic").get("statement"))) {
            if (!((List<?>) dynamic.get("for_each")).isEmpty()) {
                statements.add(TerraformEvaluation.map(dynamic, "content"));
            }
        }
        return statements;
    }

    @Test
    void aFunctionUrlWithoutIamNeedsTheApiTokenSecret() {
        assertEquals(Set.of(), refused(Map.of()));
        assertEquals(Set.of("function_url_auth"), refused(Map.of("function_url_auth", "NONE", "api_token_secret_arn", "")));
        assertEquals(Set.of(), refused(Map.of("function_url_auth", "AWS_IAM", "api_token_secret_arn", "")));
        assertEquals(Set.of("function_url_auth"), refused(Map.of("function_url_auth", "OPEN")));
        assertEquals("NONE", variable("function_url_auth").get("default"));
        assertEquals("", variable("api_token_secret_arn").get("default"),
                "so the defaults alone are refused: no open function URL by default");
        // ARNs only: a secret value given in their place is refused
        for (String arn : List.of("api_token_secret_arn", "settings_secret_arn", "credentials_secret_arn")) {
            assertEquals(Set.of(arn), refused(Map.of(arn, "plain-s3cret")), arn);
        }
    }

    @Test
    void allowedRegistriesAreRequiredAndNotEmpty() {
        assertFalse(variable("allowed_registries").containsKey("default"), "required");
        assertEquals(Set.of("allowed_registries"), refused(Map.of("allowed_registries", List.of())));
        assertEquals(Set.of("allowed_registries"), refused(Map.of("allowed_registries", List.of("ghcr.io", ""))));
        assertEquals("ghcr.io,quay.io", environment(Map.of("allowed_registries", List.of("ghcr.io", "quay.io"))).get("RECAST_REGISTRIES_ALLOWED"));
    }

    @Test
    void reservedConcurrencyIsSetOnTheFunction() {
        assertEquals(10.0, variable("reserved_concurrency").get("default"));
        assertEquals(Set.of("reserved_concurrency"), refused(Map.of("reserved_concurrency", 0.0)));
        assertEquals(7.0, TerraformEvaluation.map(main(Map.of("reserved_concurrency", 7.0)), "resource", "aws_lambda_function", "recast")
                .get("reserved_concurrent_executions"));
    }

    @Test
    void noSecretValueIsAVariableOrAnEnvironmentVariable() throws Exception {
        for (String key : List.of("RECAST_API_TOKEN", "RECAST_WEBHOOKS_GITHUB_SECRET", "recast_registries_credentials", "DB_PASSWORD",
                "RECAST_REGISTRIES_CREDENTIALS_0_", "recast_lambda_expose_api", "recast_api_anonymous", "RECAST_API_ANONYMOUS",
                "RECAST_LAMBDA_EXPOSE_API", "QUARKUS_HTTP_HOST", "recast_registries_allowed")) {
            assertEquals(Set.of("environment"), refused(Map.of("environment", Map.of(key, "x"))), key);
        }
        assertEquals(Set.of(), refused(Map.of("environment", Map.of("RECAST_WEBHOOKS_REGISTRY_ALIASES", "a=b",
                "RECAST_LIMITS_INDEX_ENTRIES", "100"))));
        variables().forEach((name, variable) -> {
            assertFalse(((Map<?, ?>) variable).containsKey("sensitive"), name + ": the module takes no secret value");
            assertFalse(SECRET_NAME.matcher(name).matches(), name + ": a secret is passed by its ARN");
        });
        Map<String, Object> environment = environment(Map.of("settings_secret_arn", SETTINGS_ARN, "credentials_secret_arn", CREDENTIALS_ARN,
                "environment", Map.of("RECAST_API_ANONYMOUS", "true", "RECAST_LAMBDA_EXPOSE_API", "true")));
        environment.keySet().forEach(key -> assertFalse(SECRET_NAME.matcher(key).matches(), key));
        assertEquals(TOKEN_ARN, environment.get("RECAST_LAMBDA_API_TOKEN_SECRET_ARN"));
        assertEquals(SETTINGS_ARN, environment.get("RECAST_LAMBDA_SETTINGS_SECRET_ARN"));
        assertEquals(CREDENTIALS_ARN, environment.get("RECAST_LAMBDA_CREDENTIALS_SECRET_ARN"));
        assertEquals("false", environment.get("RECAST_API_ANONYMOUS"), "the module's own settings win over var.environment");
        assertEquals("false", environment.get("RECAST_LAMBDA_EXPOSE_API"));
        // each recast.lambda.* setting the module passes is one the function reads
        for (String key : environment.keySet().stream().filter(k -> k.startsWith("RECAST_LAMBDA_")).toList()) {
            String[] words = key.substring("RECAST_LAMBDA_".length()).toLowerCase(Locale.ROOT).split("_");
            StringBuilder method = new StringBuilder(words[0]);
            for (int i = 1; i < words.length; i++) {
                method.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
            }
            assertNotNull(LambdaConfig.class.getMethod(method.toString()), key);
        }
    }

    @Test
    void aPublicFunctionUrlHasItsResourcePolicyAndAnIamOneNone() {
        Map<String, Object> permission = TerraformEvaluation.map(main(Map.of()), "resource", "aws_lambda_permission", "function_url");
        assertEquals(1, ((Number) permission.get("count")).intValue());
        assertEquals("lambda:InvokeFunctionUrl", permission.get("action"), "only through the URL");
        assertEquals("NONE", permission.get("function_url_auth_type"));
        assertEquals("aws_lambda_alias.live.name", String.valueOf(permission.get("qualifier")), "on the alias the URL serves");
        assertEquals(0, ((Number) TerraformEvaluation.map(main(Map.of("function_url_auth", "AWS_IAM")), "resource",
                "aws_lambda_permission", "function_url").get("count")).intValue());
    }

    @Test
    void theApiIsAnonymousOnlyBehindIamAndExposedOnlyWhenAsked() {
        assertEquals("true", environment(Map.of("function_url_auth", "AWS_IAM", "api_token_secret_arn", "")).get("RECAST_API_ANONYMOUS"));
        assertEquals("false", environment(Map.of("function_url_auth", "AWS_IAM")).get("RECAST_API_ANONYMOUS"));
        assertEquals(false, variable("expose_api").get("default"));
        assertEquals("false", environment(Map.of("expose_api", false)).get("RECAST_LAMBDA_EXPOSE_API"));
        assertEquals("true", environment(Map.of("expose_api", true)).get("RECAST_LAMBDA_EXPOSE_API"));
        assertEquals("AWS_IAM", TerraformEvaluation.map(main(Map.of("function_url_auth", "AWS_IAM")), "resource",
                "aws_lambda_function_url", "recast").get("authorization_type"));
    }

    @Test
    void theRoleReadsOnlyTheNamedSecretsAndCannotReadOrDeleteTheDeadLetters() {
        Map<String, Object> allSecrets = Map.of("settings_secret_arn", SETTINGS_ARN, "credentials_secret_arn", CREDENTIALS_ARN);
        assertEquals(List.of(List.of(CREDENTIALS_ARN, SETTINGS_ARN, TOKEN_ARN)), secretResources(allSecrets));
        assertEquals(List.of(List.of(TOKEN_ARN)), secretResources(Map.of()));
        assertEquals(List.of(), secretResources(Map.of("function_url_auth", "AWS_IAM", "api_token_secret_arn", "")));
        List<Map<String, Object>> deadLetterGrants = new ArrayList<>();
        for (Map<String, Object> statement : roleStatements(allSecrets)) {
            List<String> actions = strings(statement.get("actions"));
            assertTrue(actions.stream().noneMatch(a -> a.endsWith("*")), "no wildcard action: " + statement);
            if (String.valueOf(statement.get("resources")).contains("dead_letters")) {
                deadLetterGrants.add(statement);
                assertEquals(List.of("sqs:SendMessage"), actions, "the function's own dead_letter_config only sends");
            }
        }
        assertEquals(1, deadLetterGrants.size(), deadLetterGrants.toString());
        assertEquals("aws_sqs_queue.dead_letters.arn", String.valueOf(TerraformEvaluation.map(main(Map.of()), "resource", "aws_lambda_function",
                "recast", "dead_letter_config").get("target_arn")));
    }

    private static List<Object> secretResources(Map<String, Object> changes) {
        return roleStatements(changes).stream().filter(s -> String.valueOf(s.get("actions")).contains("secretsmanager:"))
                .peek(s -> assertEquals(List.of("secretsmanager:GetSecretValue"), strings(s.get("actions"))))
                .map(s -> (Object) strings(s.get("resources"))).toList();
    }

    @Test
    void eventBridgeMayDeliverToTheDeadLetterQueueForTheEcrRuleOnly() {
        Map<String, Object> watching = main(Map.of("ecr_repositories", List.of("team/app")));
        Map<String, Object> policy = TerraformEvaluation.map(watching, "data", "aws_iam_policy_document", "dead_letters");
        Map<String, Object> statement = TerraformEvaluation.map(policy, "statement");
        assertEquals(List.of("sqs:SendMessage"), strings(statement.get("actions")));
        assertEquals(List.of("aws_sqs_queue.dead_letters.arn"), strings(statement.get("resources")));
        Map<String, Object> principals = TerraformEvaluation.map(statement, "principals");
        assertEquals("Service", principals.get("type"));
        assertEquals(List.of("events.amazonaws.com"), strings(principals.get("identifiers")));
        Map<String, Object> condition = TerraformEvaluation.map(statement, "condition");
        assertEquals("ArnEquals", condition.get("test"));
        assertEquals("aws:SourceArn", condition.get("variable"));
        String source = String.valueOf(condition.get("values"));
        assertTrue(source.startsWith("[aws_cloudwatch_event_rule.ecr_push") && source.endsWith(".arn]"), "the source is the ECR push rule: " + source);
        Map<String, Object> queuePolicy = TerraformEvaluation.map(watching, "resource", "aws_sqs_queue_policy", "dead_letters");
        assertEquals("aws_sqs_queue.dead_letters.id", String.valueOf(queuePolicy.get("queue_url")));
        assertTrue(String.valueOf(queuePolicy.get("policy")).startsWith("data.aws_iam_policy_document.dead_letters"), queuePolicy.toString());
        assertEquals("aws_sqs_queue.dead_letters.arn", String.valueOf(TerraformEvaluation.map(watching, "resource",
                "aws_cloudwatch_event_target", "ecr_push", "dead_letter_config").get("arn")));
        // the policy exists exactly when the rule does
        Map<String, Object> notWatching = main(Map.of("ecr_repositories", List.of()));
        for (Map<String, Object> module : List.of(watching, notWatching)) {
            Object rules = TerraformEvaluation.map(module, "resource", "aws_cloudwatch_event_rule", "ecr_push").get("count");
            assertEquals(rules, TerraformEvaluation.map(module, "resource", "aws_sqs_queue_policy", "dead_letters").get("count"));
            assertEquals(rules, TerraformEvaluation.map(module, "data", "aws_iam_policy_document", "dead_letters").get("count"));
        }
    }

    @Test
    void theExampleHoldsNoSecretAndPassesTheValidations() throws Exception {
        String example = Files.readString(MODULE.resolve("examples/basic/main.tf"));
        assertFalse(example.contains("secret_string") || example.contains("aws_secretsmanager_secret_version"), "no secret value in the state");
        assertFalse(Pattern.compile("(?im)^\\s*\\w*(secret|token|password)\\w*\\s*=\\s*\"").matcher(example).find(), "no literal secret");
        Map<String, Object> module = TerraformEvaluation.map(TerraformEvaluation.parse(MODULE.resolve("examples/basic/main.tf"), Map.of()),
                "module", "recast");
        assertFalse(module.containsKey("environment"), "no settings through plain environment variables");
        Map<String, Object> values = new HashMap<>();
        module.forEach((name, value) -> {
            if (name.endsWith("_secret_arn")) {
                assertTrue(Pattern.compile(name + "\\s*=\\s*var\\." + name + "\n").matcher(example).find(), name + " comes from a variable");
                values.put(name, "arn:aws:secretsmanager:eu-west-1:123456789012:secret:" + name);
            } else if (!name.equals("rules")) {
                values.put(name, value);
            }
        });
        assertEquals(Set.of(), refused(values));
    }
}
