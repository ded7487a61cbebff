package dev.recast.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Real registries (CNCF distribution from Debian) for tests, started once per test JVM on free ports with the
 * scripts of {@code ../shared/lab} and seeded with its fixture images. Stopped when the JVM exits.
 */
public final class LabRegistry {
    public static final String USER = "lab";
    public static final String PASSWORD = "lab-secret";
    private static final Map<String, LabRegistry> RUNNING = new ConcurrentHashMap<>();

    private final int port;
    private final Path dir;
    private final String credentials;

    private LabRegistry(int port, Path dir, String credentials) {
        this.port = port;
        this.dir = dir;
        this.credentials = credentials;
    }

    /** A plain HTTP registry without auth, seeded with the fixtures. */
    public static LabRegistry plain() {
        return shared("plain", false, true);
    }

    /** A second plain registry, empty: a target on another host. */
    public static LabRegistry second() {
        return shared("second", false, false);
    }

    /** A registry with htpasswd Basic auth ({@value USER} / {@value PASSWORD}), seeded. */
    public static LabRegistry htpasswd() {
        return shared("htpasswd", true, true);
    }

    /**
     * One registry per name for the whole JVM: Quarkus loads this class again for each application it starts, so the
     * port and directory are kept in system properties, which every class loader shares.
     */
    private static synchronized LabRegistry shared(String name, boolean auth, boolean seed) {
        return RUNNING.computeIfAbsent(name, key -> {
            String property = "recast-test-lab." + key;
            String known = System.getProperty(property);
            if (known != null) {
                int bar = known.indexOf('|');
                return new LabRegistry(Integer.parseInt(known.substring(0, bar)), Path.of(known.substring(bar + 1)),
                        auth ? USER + ":" + PASSWORD : null);
            }
            LabRegistry started = start(key, auth, seed);
            System.setProperty(property, started.port + "|" + started.dir);
            return started;
        });
    }

    /** A registry with token auth, tokens from a {@link TokenIssuer} the tests run, seeded. */
    public static LabRegistry token() {
        return RUNNING.computeIfAbsent("token", name -> {
            refusedInFastTier();
            int port = freePort();
            Path dir = labTmp().resolve("token-" + port);
            TokenIssuer issuer = TokenIssuer.start(dir);
            LabRegistry registry = new LabRegistry(port, dir, TokenIssuer.USER + ":" + TokenIssuer.PASSWORD);
            registry.serveWithConfig(issuer.registryConfig(port, dir.resolve("storage")));
            registry.seed();
            return registry;
        });
    }

    /** An empty plain registry that notifies {@code url} of every push, with one extra header. */
    public static LabRegistry notifying(String url, String header) {
        return RUNNING.computeIfAbsent("notify " + url, name -> {
            int port = freePort();
            Path dir = labTmp().resolve("notify-" + port);
            ExternalTools.check(labScripts().resolve("registry").toString(), "start", "--port", String.valueOf(port),
                    "--dir", dir.toString(), "--notify", url, "--notify-header", header);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> ExternalTools.run(List.of(
                    labScripts().resolve("registry").toString(), "stop", "--port", String.valueOf(port), "--dir", dir.toString()))));
            return new LabRegistry(port, dir, null);
        });
    }

    /** Copies an image within or between lab registries with skopeo, keeping its manifest as it is. */
    public static void copy(String fromRef, String toRef) {
        ExternalTools.check("skopeo", "copy", "-q", "--src-tls-verify=false", "--dest-tls-verify=false",
                "docker://" + fromRef, "docker://" + toRef);
    }

    /** The tags of a repository, as skopeo lists them. */
    public List<String> tags(String repository) {
        ExternalTools.Result result = ExternalTools.run(List.of("skopeo", "list-tags", "--tls-verify=false",
                "docker://" + host() + "/" + repository));
        if (result.exitCode() != 0) {
            return List.of();
        }
        try {
            List<String> tags = new ArrayList<>();
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(result.stdout()).path("Tags").forEach(t -> tags.add(t.asText()));
            return tags.stream().sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The tags of a repository that name images: without the referrers tags ({@code sha256-<hex>} fallback indexes,
     * which Recast writes for the provenance of every image it converts, and cosign's {@code .sig/.att/.sbom}).
     */
    public List<String> imageTags(String repository) {
        return tags(repository).stream().filter(t -> !dev.recast.registry.referrers.ReferrerTags.isReferrerTag(t))
                .toList();
    }

    /** Waits (up to a minute) until a tag exists in this registry. */
    public void awaitTagIn(String repository, String tag) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            if (tags(repository).contains(tag)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(host() + "/" + repository + ":" + tag + " did not appear; tags: " + tags(repository));
    }

    public String host() {
        return "127.0.0.1:" + port;
    }

    public String ref(String repositoryAndTag) {
        return "docker://" + host() + "/" + repositoryAndTag;
    }

    /** The registry's storage root on disk. */
    public Path storage() {
        return dir.resolve("storage");
    }

    /** Where a blob lives on disk, to corrupt it on purpose. */
    public Path blobData(String digest) {
        String hex = digest.substring("sha256:".length());
        return dir.resolve("storage/docker/registry/v2/blobs/sha256").resolve(hex.substring(0, 2)).resolve(hex).resolve("data");
    }

    /** skopeo arguments for reading from this registry. */
    public List<String> skopeoSourceArgs() {
        List<String> args = new ArrayList<>(List.of("--src-tls-verify=false"));
        if (credentials != null) {
            args.add("--src-creds=" + credentials);
        }
        return args;
    }

    public List<String> skopeoInspectArgs() {
        List<String> args = new ArrayList<>(List.of("--tls-verify=false"));
        if (credentials != null) {
            args.add("--creds=" + credentials);
        }
        return args;
    }

    /** {@code ./mvnw test} is the fast tier (the pom sets the property): a test that needs a registry is tagged. */
    private static void refusedInFastTier() {
        if (Boolean.getBoolean("recast-fast-tier")) {
            throw new AssertionError("this test starts a lab registry, which the fast tier (./mvnw test) does not: "
                    + "tag its class @Tag(\"registry\") so that it runs in ./mvnw verify");
        }
    }

    public static Path labScripts() {
        String configured = System.getenv("RECAST_LAB");
        Path lab = configured != null ? Path.of(configured) : Path.of("..", "shared", "lab").toAbsolutePath().normalize();
        if (!Files.isExecutable(lab.resolve("registry"))) {
            throw new AssertionError("the lab is missing: expected " + lab + "/registry (set RECAST_LAB)");
        }
        return lab;
    }

    private static LabRegistry start(String name, boolean auth, boolean seed) {
        refusedInFastTier();
        int port = freePort();
        Path dir = labTmp().resolve(name + "-" + port);
        List<String> command = new ArrayList<>(List.of(labScripts().resolve("registry").toString(), "start",
                "--port", String.valueOf(port), "--dir", dir.toString()));
        if (auth) {
            command.addAll(List.of("--auth", "htpasswd"));
        }
        ExternalTools.check(command.toArray(String[]::new));
        LabRegistry registry = new LabRegistry(port, dir, auth ? USER + ":" + PASSWORD : null);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ExternalTools.run(List.of(
                labScripts().resolve("registry").toString(), "stop", "--port", String.valueOf(port), "--dir", dir.toString()))));
        if (seed) {
            registry.seed();
        }
        return registry;
    }

    private void serveWithConfig(String config) {
        try {
            Files.createDirectories(dir.resolve("storage"));
            Path file = dir.resolve("config.yml");
            Files.writeString(file, config);
            Process process = new ProcessBuilder("docker-registry", "serve", file.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
            for (int i = 0; i < 150; i++) {
                try (var socket = new java.net.Socket("127.0.0.1", port)) {
                    return;
                } catch (IOException notYet) {
                    if (!process.isAlive()) {
                        throw new AssertionError("registry exited: " + Files.readString(dir.resolve("log")));
                    }
                    Thread.sleep(100);
                }
            }
            throw new AssertionError("registry did not start on " + port + ": " + Files.readString(dir.resolve("log")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private void seed() {
        List<String> command = new ArrayList<>(List.of(labScripts().resolve("seed").toString(), "--registry", host()));
        if (credentials != null) {
            command.addAll(List.of("--creds", credentials));
        }
        ExternalTools.check(command.toArray(String[]::new));
    }

    private static Path labTmp() {
        Path base = Path.of(System.getProperty("java.io.tmpdir"), "recast-test-lab");
        try {
            Files.createDirectories(base);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return base;
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
