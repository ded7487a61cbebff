package dev.recast.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdOutputStream;
import dev.recast.RecastException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * native-config/ against the code (native-config/README.md says what counts): every class, field, constructor and
 * resource it names exists, and every class Jackson binds by reflection is named in reflect-config.json or carries
 * {@code @RegisterForReflection}. Nothing checks these files at build time: a wrong name only fails in a native binary.
 */
class NativeConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CONFIG = Path.of("native-config");
    private static final Path LAMBDA_SOURCES = Path.of("src/lambda/java");

    @Test
    void everyNamedClassFieldAndConstructorExists() throws IOException {
        List<String> missing = new ArrayList<>();
        for (String file : List.of("reflect-config.json", "jni-config.json")) {
            for (JsonNode entry : JSON.readTree(CONFIG.resolve(file).toFile())) {
                String name = entry.path("name").asText();
                if (name.startsWith("dev.recast.lambda.")) {
                    // compiled in the lambda profile only: its source is what can be checked here
                    if (!JacksonBoundClasses.lambdaSourceDeclares(LAMBDA_SOURCES, name)) {
                        missing.add(file + ": " + name);
                    }
                    continue;
                }
                Class<?> type;
                try {
                    type = Class.forName(name, false, getClass().getClassLoader());
                } catch (ClassNotFoundException e) {
                    missing.add(file + ": " + name);
                    continue;
                }
                for (JsonNode field : entry.path("fields")) {
                    try {
                        type.getDeclaredField(field.path("name").asText());
                    } catch (NoSuchFieldException e) {
                        missing.add(file + ": field " + name + "." + field.path("name").asText());
                    }
                }
                for (JsonNode method : entry.path("methods")) {
                    if (!exists(type, method)) {
                        missing.add(file + ": method " + name + "." + method);
                    }
                }
            }
        }
        assertEquals(List.of(), missing, "named in native-config/ but not in the code or its dependencies");
    }

    @Test
    void everyResourcePatternMatchesZstdJniLibraries() throws IOException {
        Path jar = Path.of(codeSource(ZstdOutputStream.class));
        List<String> entries;
        try (JarFile zstd = new JarFile(jar.toFile())) {
            entries = zstd.stream().map(e -> e.getName()).toList();
        }
        JsonNode includes = JSON.readTree(CONFIG.resolve("resource-config.json").toFile()).path("resources").path("includes");
        assertTrue(includes.size() > 0, "resource-config.json includes something");
        for (JsonNode include : includes) {
            Pattern pattern = Pattern.compile(include.path("pattern").asText());
            assertTrue(entries.stream().anyMatch(e -> pattern.matcher(e).matches()),
                    pattern + " matches no resource of " + jar.getFileName());
        }
    }

    @Test
    void everyClassJacksonBindsIsRegistered() throws IOException {
        Map<String, JsonNode> reflected = new TreeMap<>();
        for (JsonNode entry : JSON.readTree(CONFIG.resolve("reflect-config.json").toFile())) {
            reflected.put(entry.path("name").asText(), entry);
        }
        JacksonBoundClasses bound = JacksonBoundClasses.scan(Path.of(codeSource(RecastException.class)),
                List.of(Path.of("src/main/java"), LAMBDA_SOURCES));
        assertTrue(bound.loaded().size() > 10, "finds the REST bodies and reports: " + bound.loaded());

        Set<String> unregistered = new TreeSet<>();
        for (Class<?> type : bound.loaded()) {
            JsonNode entry = reflected.get(type.getName());
            boolean annotated = Stream.of(type.getAnnotations())
                    .anyMatch(a -> a.annotationType().getName().equals("io.quarkus.runtime.annotations.RegisterForReflection"));
            if (!annotated && (entry == null || !entry.path("allDeclaredConstructors").asBoolean()
                    || !entry.path("allDeclaredMethods").asBoolean() || !entry.path("allDeclaredFields").asBoolean())) {
                unregistered.add(type.getName());
            }
        }
        for (String lambdaClass : bound.lambdaSourceNames()) {
            if (!reflected.containsKey(lambdaClass)
                    && !JacksonBoundClasses.lambdaSourceAnnotated(LAMBDA_SOURCES, lambdaClass)) {
                unregistered.add(lambdaClass);
            }
        }
        assertEquals(Set.of(), unregistered, "Jackson binds these by reflection: name them in "
                + "native-config/reflect-config.json (constructors, methods and fields) or annotate @RegisterForReflection");
    }

    private static boolean exists(Class<?> type, JsonNode method) {
        List<String> parameters = new ArrayList<>();
        method.path("parameterTypes").forEach(p -> parameters.add(p.asText()));
        Stream<java.lang.reflect.Executable> candidates = method.path("name").asText().equals("<init>")
                ? Stream.<java.lang.reflect.Executable>of(type.getDeclaredConstructors())
                : Stream.<java.lang.reflect.Executable>of(type.getDeclaredMethods())
                        .filter(m -> m.getName().equals(method.path("name").asText()));
        return candidates.anyMatch(e -> Stream.of(e.getParameterTypes()).map(Class::getName).toList().equals(parameters));
    }

    private static String codeSource(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new AssertionError(e);
        }
    }
}
