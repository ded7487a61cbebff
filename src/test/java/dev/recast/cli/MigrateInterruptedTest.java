package dev.recast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recast.testing.FaultProxy;
import dev.recast.testing.FleetImages;
import dev.recast.testing.LabRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A migration killed halfway (the CLI in its own JVM, SIGKILL) and run again: what the first run finished is
 * recognised from the registry alone and not converted again; the rest is converted; nothing is missed.
 */
@Tag("registry")
class MigrateInterruptedTest {
    private static final LabRegistry LAB = LabRegistry.plain();

    @TempDir
    Path tmp;

    @Test
    void aKilledMigrationRunAgainDoesOnlyWhatIsLeft() throws Exception {
        String prefix = "killed" + UUID.randomUUID().toString().substring(0, 6);
        Set<String> repositories = new HashSet<>();
        try (FleetImages fleet = new FleetImages(LAB); FaultProxy proxy = new FaultProxy(LAB.host())) {
            for (int i = 0; i < 10; i++) {
                String repository = prefix + "/app-" + i;
                fleet.push("fixtures/hello:v2s2", repository, "v1");
                fleet.push("fixtures/app:amd64", repository, "v2");
                repositories.add(repository);
            }
            // each tag written slowly, so that the kill lands halfway through the twenty images
            proxy.always("PUT", "/v2/" + prefix + "/.*/manifests/v\\d-oci", new FaultProxy.Fault.Stall(300));
            List<String> args = List.of("migrate", proxy.host(), "--insecure", proxy.host(), "--repository",
                    prefix + "/*", "--concurrency", "1", "--page-size", "5");

            Process cli = cli(args, tmp.resolve("killed.log"));
            String tagWrite = "PUT /v2/" + prefix + "/";
            for (int i = 0; i < 600 && proxy.requests().stream().filter(r -> r.startsWith(tagWrite) && r.contains("-oci"))
                    .count() < 6; i++) {
                Thread.sleep(50);
            }
            cli.destroyForcibly();
            assertTrue(cli.waitFor(30, TimeUnit.SECONDS));
            Thread.sleep(1000); // a tag write the proxy was holding still reaches the registry: count it as done
            Map<String, Boolean> doneBefore = new HashMap<>();
            fleet.tags(repositories).forEach((repository, tags) -> List.of("v1", "v2").forEach(tag ->
                    doneBefore.put(repository + ":" + tag, tags.contains(tag + "-oci"))));
            long done = doneBefore.values().stream().filter(d -> d).count();
            assertTrue(done >= 4 && done < 20, "killed halfway: " + doneBefore + "\n" + Files.readString(tmp.resolve("killed.log")));

            List<String> withJson = new ArrayList<>(args);
            withJson.add("--json");
            CliRun again = CliRun.of(withJson);
            assertEquals(0, again.code(), again.err());
            JsonNode report = new ObjectMapper().readTree(again.out());
            assertEquals(20, report.path("totals").path("images").asInt(), again.out());
            for (JsonNode image : report.path("images")) {
                String name = image.path("repository").asText() + ":" + image.path("tag").asText();
                assertEquals(doneBefore.get(name) ? "ALREADY_CONVERTED" : "CONVERTED", image.path("status").asText(), name);
            }
            assertEquals(20 - done, report.path("totals").path("converted").asInt());
            // besides the images: the referrer tags (sha256-<hex>) of their provenance
            fleet.tags(repositories).forEach((repository, tags) -> assertEquals(List.of("v1", "v1-oci", "v2", "v2-oci"),
                    tags.stream().filter(tag -> !tag.startsWith("sha256-")).toList(), repository));
        }
    }

    /** RecastMain in a JVM of its own, on this test's class path, as a user would run it. */
    private static Process cli(List<String> args, Path log) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                RecastMain.class.getName()));
        command.addAll(args);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
