package dev.recast.it;

import dev.recast.testing.LabRegistry;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** {@code java -jar target/*-runner.jar serve} as a process of its own, as an operator runs it. */
record PackagedService(Process process, int port) {
    static final String TOKEN = "it-token";
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Starts the service on a free port with these {@code -D} settings; does not wait for it. */
    static PackagedService launch(Path log, String... settings) throws IOException {
        Path jar;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            jar = files.filter(p -> p.getFileName().toString().endsWith("-runner.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no target/*-runner.jar: run after package"));
        }
        int port = LabRegistry.freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.port=" + port));
        for (String setting : settings) {
            command.add("-D" + setting);
        }
        command.addAll(List.of("-jar", jar.toString(), "serve"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new PackagedService(process, port);
    }

    /** Starts the service and waits until it is ready. */
    static PackagedService start(Path log, String... settings) throws IOException, InterruptedException {
        PackagedService service = launch(log, settings);
        URI ready = URI.create("http://127.0.0.1:" + service.port + "/q/health/ready");
        for (int i = 0; i < 600; i++) {
            if (!service.process.isAlive()) {
                throw new AssertionError("the service exited: " + Files.readString(log));
            }
            try {
                if (HTTP.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return service;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        service.process.destroyForcibly();
        throw new AssertionError("the service did not become ready: " + Files.readString(log));
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    void stop() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
