package dev.recast.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A containerd of the test's own (Debian's containerd 1.6), started as a child process with its root, state and socket
 * under a scratch directory, driven with {@code ctr}. Each image goes into a namespace of its own: an original and its
 * conversion share their image ID (the config digest), so in one namespace the second pull would find the first's
 * unpacked layers and prove nothing.
 */
public final class Containerd implements AutoCloseable {
    private final Path dir;
    private final Process process;

    private Containerd(Path dir, Process process) {
        this.dir = dir;
        this.process = process;
    }

    /** Starts containerd under {@code dir}; the CRI plugin (Kubernetes) is left out, nothing here needs it. */
    public static Containerd start(Path dir) {
        try {
            Files.createDirectories(dir);
            Path config = dir.resolve("config.toml");
            Files.writeString(config, """
                    version = 2
                    root = "%s"
                    state = "%s"
                    disabled_plugins = ["io.containerd.grpc.v1.cri"]
                    [grpc]
                      address = "%s"
                    """.formatted(dir.resolve("root"), dir.resolve("state"), dir.resolve("sock")));
            Process process = new ProcessBuilder("containerd", "--config", config.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
            Containerd containerd = new Containerd(dir, process);
            for (int i = 0; i < 100; i++) {
                if (ExternalTools.run(containerd.ctrCommand("default", "version")).exitCode() == 0) {
                    return containerd;
                }
                if (!process.isAlive()) {
                    throw new AssertionError("containerd exited: " + Files.readString(dir.resolve("log")));
                }
                Thread.sleep(100);
            }
            containerd.close();
            throw new AssertionError("containerd did not answer on " + dir.resolve("sock") + ": "
                    + Files.readString(dir.resolve("log")));
        } catch (IOException e) {
            throw new AssertionError("cannot start containerd (.ci/run installs it): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** {@code ctr images pull} over plain HTTP (lab registries are loopback HTTP), which also unpacks. */
    public void pull(String namespace, String reference) {
        ctr(namespace, "images", "pull", "--plain-http", reference);
    }

    /** Runs the image's entrypoint in a fresh container (no network namespace change needed) and returns its output. */
    public String run(String namespace, String reference) {
        return ctr(namespace, "run", "--rm", reference, "run-" + namespace);
    }

    /** Mounts the image's unpacked snapshot read-only and reads its tree. */
    public UnpackedTree tree(String namespace, String reference) {
        Path mount = dir.resolve("mnt-" + namespace);
        try {
            Files.createDirectories(mount);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ctr(namespace, "images", "mount", "--rw=false", reference, mount.toString());
        try {
            return UnpackedTree.read(mount);
        } finally {
            ctr(namespace, "images", "unmount", mount.toString());
        }
    }

    /**
     * The namespace's content store: each blob's digest with its labels. containerd fetches every manifest of an
     * index that matches the platform, but unpacks only the one it chose: the layers it unpacked carry the
     * {@code containerd.io/uncompressed} label.
     */
    public Map<String, String> content(String namespace) {
        Map<String, String> labels = new LinkedHashMap<>();
        ctr(namespace, "content", "ls").lines().skip(1).forEach(line -> {
            String[] columns = line.split("\t");
            labels.put(columns[0], columns[columns.length - 1]);
        });
        return labels;
    }

    private String ctr(String namespace, String... args) {
        List<String> command = ctrCommand(namespace, args);
        ExternalTools.Result result = ExternalTools.run(command);
        if (result.exitCode() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + result.exitCode() + ": " + result.stderr()
                    + result.out());
        }
        return result.out();
    }

    private List<String> ctrCommand(String namespace, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("ctr", "--address", dir.resolve("sock").toString(),
                "--namespace", namespace));
        command.addAll(List.of(args));
        return command;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
