package dev.recast.convert;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.index.IndexBuilder;
import dev.recast.index.IndexRequest;
import dev.recast.index.IndexSource;
import dev.recast.registry.ImageStores;
import dev.recast.registry.http.CredentialSource;
import dev.recast.registry.http.RegistrySettings;
import dev.recast.registry.reference.ImageReference;
import dev.recast.testing.FaultProxy.Fault;
import dev.recast.testing.FaultProxy;
import dev.recast.testing.LabRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A conversion that cannot finish (every upload's closing PUT stalls for a minute, and the registry settings would
 * wait that long) is stopped by its deadline: the error says so and names the image, its layer threads have left,
 * every upload session it opened was deleted, and no tag exists.
 */
@Tag("registry")
class ConversionDeadlineTest {
    private static final ImageConverter.Limits SHORT = new ImageConverter.Limits(4L << 20, 8L << 20, 64L << 30, 5000,
            1024, 4, 1000, Duration.ofSeconds(3));

    private final LabRegistry lab = LabRegistry.plain();
    private final FaultProxy proxy = new FaultProxy(lab.host())
            .always("PUT", "/blobs/uploads/", new Fault.Stall(60_000));
    private final ImageStores stores = new ImageStores(RegistrySettings.defaults().withCredentials(CredentialSource.none()));
    private final ImageConverter converter = new ImageConverter(stores, 3, SHORT);

    @AfterEach
    void close() {
        converter.close();
        stores.close();
        proxy.close();
    }

    private ImageReference ref(String repositoryAndTag) {
        return ImageReference.parse(proxy.host() + "/" + repositoryAndTag);
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Recast threads now in the middle of converting or uploading. */
    private static List<String> busyWorkers() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey().getName().startsWith("recast-"))
                .filter(e -> Arrays.stream(e.getValue()).anyMatch(frame -> frame.getClassName().startsWith(
                        ConversionRun.class.getName()) || frame.getClassName().endsWith(".BlobUpload")))
                .map(e -> e.getKey().getName()).toList();
    }

    /** Runs the work, sees layer threads busy while it stalls, and returns how it failed once they all left. */
    private RecastException stoppedByDeadline(Supplier<?> work) throws InterruptedException {
        long started = System.nanoTime();
        CompletableFuture<?> running = CompletableFuture.supplyAsync(work);
        while (busyWorkers().isEmpty() && !running.isDone()) {
            Thread.sleep(20);
        }
        assertFalse(running.isDone(), "the conversion stalls on its uploads");
        CompletionException failed = assertThrows(CompletionException.class, running::join);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertTrue(took.compareTo(Duration.ofSeconds(15)) < 0, "stopped at its 3 s deadline, took " + took);
        // a worker closes its part in the run, then returns: allow it the moments that takes on a loaded machine
        for (int i = 0; i < 50 && !busyWorkers().isEmpty(); i++) {
            Thread.sleep(20);
        }
        assertEquals(List.of(), busyWorkers(), "the layer threads left as the failure was reported");
        return assertInstanceOf(RecastException.class, failed.getCause());
    }

    private void assertUploadsAbandoned(String repository) throws IOException {
        long opened = proxy.requests().stream().filter(r -> r.equals("POST /v2/" + repository + "/blobs/uploads/")).count();
        long deleted = proxy.requests().stream().filter(r -> r.startsWith("DELETE /v2/" + repository + "/blobs/uploads/"))
                .count();
        assertTrue(opened > 0, "uploads were started: " + proxy.requests());
        assertEquals(opened, deleted, "every upload session was deleted: " + proxy.requests());
        // a session is its startedat and data files (after a cancel, distribution leaves only a hash state behind)
        Path sessions = lab.storage().resolve("docker/registry/v2/repositories").resolve(repository).resolve("_uploads");
        if (Files.isDirectory(sessions)) {
            try (Stream<Path> files = Files.walk(sessions)) {
                assertEquals(List.of(), files.filter(f -> f.endsWith("startedat") || f.endsWith("data")).toList(),
                        "the registry holds no upload session");
            }
        }
        assertEquals(List.of(), lab.tags(repository));
    }

    @Test
    void aConversionPastItsDeadlineIsStoppedWithItsThreadsAndUploads() throws Exception {
        String repository = unique("deadline/hello");
        ImageReference source = ref("fixtures/hello:v2s2");
        RecastException stopped = stoppedByDeadline(() -> converter.convert(source, ref(repository + ":oci"),
                ConversionOptions.DEFAULT));
        assertEquals(ErrorKind.TOO_LARGE, stopped.kind(), stopped.getMessage());
        assertTrue(stopped.getMessage().contains("passed its deadline of 3 s (recast.limits.conversion-timeout)"),
                stopped.getMessage());
        assertEquals(source.toString(), stopped.image());
        assertUploadsAbandoned(repository);
    }

    @Test
    void anIndexBuildPastItsDeadlineIsStoppedToo() throws Exception {
        String repository = unique("deadline/index");
        IndexBuilder builder = new IndexBuilder(stores, converter, SHORT.configBytes());
        ImageReference target = ref(repository + ":all");
        RecastException stopped = stoppedByDeadline(() -> builder.build(new IndexRequest(target,
                List.of(new IndexSource(ref("fixtures/multi:latest"))), true, ConversionOptions.DEFAULT, false, false,
                Map.of())));
        assertEquals(ErrorKind.TOO_LARGE, stopped.kind(), stopped.getMessage());
        assertTrue(stopped.getMessage().contains("index build passed its deadline"), stopped.getMessage());
        assertEquals(target.toString(), stopped.image());
        assertUploadsAbandoned(repository);
    }

    @Test
    void theSameConversionWithinItsDeadlineIsTagged() {
        String repository = unique("deadline/ok");
        try (FaultProxy quick = new FaultProxy(lab.host())) {
            ImageReference target = ImageReference.parse(quick.host() + "/" + repository + ":oci");
            ConversionReport report = converter.convert(ImageReference.parse(quick.host() + "/fixtures/hello:v2s2"),
                    target, ConversionOptions.DEFAULT);
            assertEquals(ConversionReport.Outcome.CONVERTED, report.outcome());
        }
        assertEquals(List.of("oci"), lab.tags(repository));
        assertEquals(List.of(), busyWorkers());
    }
}
