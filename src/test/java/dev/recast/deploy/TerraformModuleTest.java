package dev.recast.deploy;

import dev.recast.lambda.RecastLambda;
import jakarta.inject.Named;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Terraform cannot be installed here, so the module is parsed (hcl4j) and cross-checked with the code: handler,
 * runtimes, the zip the build writes, variables declared and used, least privilege on ECR writes. Its secure defaults:
 * {@link TerraformSecureDefaultsTest}.
 */
class TerraformModuleTest {
    private static final Path MODULE = Path.of("terraform");
    private static final Map<Path, Map<String, Object>> PARSED = new HashMap<>();
    private static String text;

    @BeforeAll
    static void parse() throws Exception {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(MODULE)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".tf")).sorted().toList()) {
                PARSED.put(file, TerraformEvaluation.parse(file, Map.of()));
                if (!file.startsWith(MODULE.resolve("examples"))) {
                    all.append(Files.readString(file)).append('\n');
                }
            }
        }
        text = all.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> block(Path file, String... path) {
        Object node = PARSED.get(MODULE.resolve(file));
        for (String key : path) {
            assertNotNull(node, "missing " + String.join(".", path) + " in " + file);
            node = ((Map<String, Object>) node).get(key);
        }
        assertNotNull(node, "missing " + String.join(".", path) + " in " + file);
        return (Map<String, Object>) node;
    }

    @Test
    void everyFileParses() {
        assertTrue(PARSED.size() >= 5, PARSED.keySet().toString());
        assertTrue(PARSED.containsKey(MODULE.resolve("examples/basic/main.tf")));
    }

    @Test
    void handlerAndRuntimesMatchTheCode() {
        String named = RecastLambda.class.getAnnotation(Named.class).value();
        assertTrue(text.contains("QUARKUS_LAMBDA_HANDLER               = \"" + named + "\""),
                "the function selects the @Named(\"" + named + "\") handler");
        assertTrue(text.contains("\"io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest\""));
        assertTrue(text.contains("\"provided.al2023\"") && text.contains("\"java21\""));
        Map<String, Object> function = block(Path.of("main.tf"), "resource", "aws_lambda_function", "recast");
        // hcl4j evaluates the locals with the defaults: package_type "jvm"
        assertEquals("java21", function.get("runtime"));
        assertEquals("io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest", function.get("handler"));
        assertTrue(text.contains("apply_on = \"PublishedVersions\""), "SnapStart for the JVM package");
    }

    @Test
    void packagePathIsTheZipTheBuildWrites() {
        Map<String, Object> path = block(Path.of("variables.tf"), "variable", "package_path");
        assertEquals("../target/lambda/function.zip", path.get("default"));
        String example = String.valueOf(block(Path.of("examples/basic/main.tf"), "module", "recast").get("package_path"));
        assertTrue(example.endsWith("target/lambda/function.zip"), example);
    }

    @Test
    void everyVariableIsDeclaredAndUsed() {
        Set<String> declared = new TreeSet<>(block(Path.of("variables.tf"), "variable").keySet());
        Set<String> used = new TreeSet<>();
        Matcher reference = Pattern.compile("var\\.([a-z_]+)").matcher(text);
        while (reference.find()) {
            used.add(reference.group(1));
        }
        assertEquals(declared, used, "declared vs used variables");
        Set<String> passed = new TreeSet<>(block(Path.of("examples/basic/main.tf"), "module", "recast").keySet());
        passed.remove("source");
        assertTrue(declared.containsAll(passed), "the example passes only declared variables: " + passed);
    }

    @Test
    void ecrWriteActionsNeverApplyToEveryResource() {
        Matcher statement = Pattern.compile("actions\\s*=\\s*\\[([^\\]]*)]\\s*(?:\\n[^\\n]*)*?\\n\\s*resources\\s*=\\s*([^\\n]+)",
                Pattern.MULTILINE).matcher(text);
        int checked = 0;
        while (statement.find()) {
            String actions = statement.group(1);
            String resources = statement.group(2);
            boolean writes = List.of("ecr:PutImage", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload")
                    .stream().anyMatch(actions::contains);
            if (writes) {
                checked++;
                assertFalse(resources.contains("\"*\""), "ECR writes on * : " + resources);
                assertTrue(resources.contains("ecr_repository_arns"), resources);
            }
        }
        assertEquals(2, checked, "one statement grants ECR writes to the function, one to the migration worker");
        assertTrue(text.contains("repository/${repository}"), "repository ARNs are built from the named repositories");
    }
}
