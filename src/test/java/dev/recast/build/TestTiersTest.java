package dev.recast.build;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The fast tier ({@code ./mvnw test}) boots no application: Quarkus builds one as soon as JUnit loads a
 * {@code @QuarkusTest} class, before its tags are read, so the pom leaves each such class out by name. This keeps
 * that list and the {@code quarkus} tag true to the test tree. (A test that starts a lab registry without its
 * {@code registry} tag fails in the fast tier by itself: see {@code LabRegistry}.)
 */
class TestTiersTest {
    private static final Path TESTS = Path.of("src/test/java");

    @Test
    void everyQuarkusTestIsTaggedAndLeftOutOfTheFastTier() throws Exception {
        Set<String> quarkusTests = quarkusTests();
        Set<String> untagged = quarkusTests.stream().filter(f -> !read(TESTS.resolve(f)).contains("@Tag(\"quarkus\")"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of(), untagged, "a @QuarkusTest class is tagged @Tag(\"quarkus\")");

        // the Lambda's tests compile and run in the lambda profile only, where the fast tier is not split off
        Set<String> serviceTests = quarkusTests.stream().filter(f -> !f.startsWith("dev/recast/lambda/"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(serviceTests, fastTierExcludes(), "pom.xml: the default-test execution's <excludes>");
    }

    private static Set<String> quarkusTests() throws IOException {
        try (Stream<Path> files = Files.walk(TESTS)) {
            return files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> read(f).lines().anyMatch(l -> l.strip().startsWith("@QuarkusTest")))
                    .map(f -> TESTS.relativize(f).toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static Set<String> fastTierExcludes() throws Exception {
        NodeList executions = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile())
                .getElementsByTagName("execution");
        Set<String> excludes = new TreeSet<>();
        for (int i = 0; i < executions.getLength(); i++) {
            Element execution = (Element) executions.item(i);
            Element plugin = (Element) execution.getParentNode().getParentNode();
            boolean surefire = "maven-surefire-plugin".equals(plugin.getElementsByTagName("artifactId").item(0).getTextContent());
            boolean inProfile = plugin.getParentNode().getParentNode().getParentNode().getNodeName().equals("profile");
            if (surefire && !inProfile && "default-test".equals(execution.getElementsByTagName("id").item(0).getTextContent())) {
                NodeList names = execution.getElementsByTagName("exclude");
                for (int j = 0; j < names.getLength(); j++) {
                    excludes.add(names.item(j).getTextContent().strip());
                }
            }
        }
        return excludes;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
