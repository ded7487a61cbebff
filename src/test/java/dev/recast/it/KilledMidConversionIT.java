package dev.recast.it;

import dev.recast.testing.FaultProxy;
import dev.recast.testing.FaultProxy.Fault;
import dev.recast.testing.LabRegistry;
import dev.recast.testing.RegistryImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged service ({@code java -jar target/*-runner.jar serve}, a real process) is killed with SIGKILL in the
 * middle of a conversion: until then and afterwards the target tag does not exist and the registry holds no
 * manifest pointing at missing blobs; a fresh process then completes the same request, and the result is verified.
 */
class KilledMidConversionIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path tmp;

    @Test
    void theNextRunCompletesAndNoTagExistedInBetween() throws Exception {
        LabRegistry lab = LabRegistry.plain();
        String repository = "killed/" + UUID.randomUUID().toString().substring(0, 8);
        try (FaultProxy proxy = new FaultProxy(lab.host())) {
            // the first finishing PUT of an upload hangs: the service is then mid-conversion, some blobs written
            proxy.once("PUT", "/blobs/uploads/", new Fault.Stall(120_000));
            String body = "{\"source\":\"" + proxy.host() + "/fixtures/hello:v2s2\",\"target\":\"" + proxy.host() + "/"
                    + repository + ":oci\"}";

            Service first = startService(tmp.resolve("first.log"));
            CompletableFuture<HttpResponse<String>> pending = HTTP.sendAsync(first.post(body),
                    HttpResponse.BodyHandlers.ofString());
            for (int i = 0; i < 300 && proxy.injected() == 0; i++) {
                assertEquals(List.of(), lab.tags(repository), "no tag while the conversion runs");
                Thread.sleep(100);
            }
            assertEquals(1, proxy.injected(), "the conversion reached the stalled upload");
            assertEquals(List.of(), lab.tags(repository), "no tag while the conversion runs");
            first.process().destroyForcibly().waitFor();
            assertTrue(pending.handle((response, error) -> error != null).get(), "the killed service never answered");

            assertEquals(List.of(), lab.tags(repository), "no tag after the kill");
            RegistryImages.assertNoDanglingManifests(lab, repository);

            Service second = startService(tmp.resolve("second.log"));
            try {
                HttpResponse<String> done = HTTP.send(second.post(body), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, done.statusCode(), done.body());
                assertTrue(done.body().contains("\"outcome\":\"CONVERTED\""), done.body());
            } finally {
                second.process().destroy();
                second.process().waitFor();
            }
            assertEquals(List.of("oci"), lab.tags(repository));
            RegistryImages.assertFaithful(lab, "fixtures/hello:v2s2", lab, repository + ":oci", tmp.resolve("check"));
            RegistryImages.assertNoDanglingManifests(lab, repository);
        }
    }

    /** A running service process and its HTTP port. */
    private record Service(Process process, int port) {
        HttpRequest post(String body) {
            return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/conversions"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        }
    }

    /** Starts the packaged service on a free port and waits until it is ready. */
    private static Service startService(Path log) throws IOException, InterruptedException {
        Path jar;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            jar = files.filter(p -> p.getFileName().toString().endsWith("-runner.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no target/*-runner.jar: run after package"));
        }
        int port = LabRegistry.freePort();
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.port=" + port, "-Drecast.registries.max-attempts=2", "-jar", jar.toString(), "serve")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        URI ready = URI.create("http://127.0.0.1:" + port + "/q/health/ready");
        for (int i = 0; i < 600; i++) {
            if (!process.isAlive()) {
                throw new AssertionError("the service exited: " + Files.readString(log));
            }
            try {
                if (HTTP.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return new Service(process, port);
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        process.destroyForcibly();
        throw new AssertionError("the service did not become ready: " + Files.readString(log));
    }
}
