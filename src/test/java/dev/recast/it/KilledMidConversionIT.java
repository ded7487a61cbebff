package dev.recast.it;

import dev.recast.testing.FaultProxy;
import dev.recast.testing.FaultProxy.Fault;
import dev.recast.testing.LabRegistry;
import dev.recast.testing.RegistryImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged service ({@code java -jar target/*-runner.jar serve}, a real process) is killed with SIGKILL in the
 * middle of a conversion: until then and afterwards the target tag does not exist and the registry holds no
 * manifest pointing at missing blobs; a fresh process then completes the same request, and the result is verified.
 */
class KilledMidConversionIT {
    private static final HttpClient HTTP = PackagedService.HTTP;

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

            PackagedService first = startService(tmp.resolve("first.log"), proxy.host());
            CompletableFuture<HttpResponse<String>> pending = HTTP.sendAsync(post(first, body),
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

            PackagedService second = startService(tmp.resolve("second.log"), proxy.host());
            try {
                HttpResponse<String> done = HTTP.send(post(second, body), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, done.statusCode(), done.body());
                assertTrue(done.body().contains("\"outcome\":\"CONVERTED\""), done.body());
            } finally {
                second.process().destroy();
                second.process().waitFor();
            }
            assertEquals(List.of("oci"), lab.imageTags(repository));
            RegistryImages.assertFaithful(lab, "fixtures/hello:v2s2", lab, repository + ":oci", tmp.resolve("check"));
            RegistryImages.assertNoDanglingManifests(lab, repository);
        }
    }

    private static HttpRequest post(PackagedService service, String body) {
        return HttpRequest.newBuilder(service.uri("/v1/conversions")).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + PackagedService.TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** The service allowed to reach {@code registry}, with few retries so that the stall is reached quickly. */
    private static PackagedService startService(Path log, String registry) throws IOException, InterruptedException {
        return PackagedService.start(log, "recast.registries.max-attempts=2", "recast.api.token=" + PackagedService.TOKEN,
                "recast.registries.allowed=" + registry);
    }
}
