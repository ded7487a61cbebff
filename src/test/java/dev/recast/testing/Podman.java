package dev.recast.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Podman 4.3 (Debian) with a store of its own for one image ({@code --root}/{@code --runroot}/{@code --tmpdir} under a
 * scratch directory): an original and its conversion share their image ID, so one store would hide the second pull. Runs
 * containers with the flags that work in a restricted VM: runc, bounded ulimits, no network.
 */
public final class Podman {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path dir;
    private final List<String> environment;

    private Podman(Path dir, List<String> environment) {
        this.dir = dir;
        this.environment = environment;
    }

    /** A store under {@code dir}, with the system's storage settings. */
    public static Podman store(Path dir) {
        return new Podman(dir, List.of());
    }

    /**
     * A store under {@code dir} whose storage.conf turns on partial pulls: containers/storage reads a zstd:chunked
     * layer's table of contents and fetches only the files it lacks. (With its own storage.conf, podman 4.3 wants the
     * roots in the file too, not only on the command line.)
     */
    public static Podman partialPullStore(Path dir) {
        Path conf = dir.resolve("storage.conf");
        try {
            Files.createDirectories(dir);
            Files.writeString(conf, """
                    [storage]
                    driver = "overlay"
                    graphroot = "%s"
                    runroot = "%s"
                    [storage.options]
                    pull_options = {enable_partial_images = "true", use_hard_links = "false"}
                    """.formatted(dir.resolve("root"), dir.resolve("run")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Podman(dir, List.of("CONTAINERS_STORAGE_CONF=" + conf));
    }

    public void pull(String reference) {
        podman("pull", "-q", "--tls-verify=false", reference);
    }

    public String run(String reference) {
        return podman("run", "--rm", "--ulimit", "nofile=1024:20000", "--ulimit", "nproc=1024:2048", "--network=none",
                reference);
    }

    /** Mounts the image (read-only, podman's image mount) and reads its tree. */
    public UnpackedTree tree(String reference) {
        Path mount = Path.of(podman("image", "mount", reference).strip());
        try {
            return UnpackedTree.read(mount);
        } finally {
            podman("image", "unmount", reference);
        }
    }

    /** The compressed digests of the layers this store pulled, as containers/storage records them. */
    public List<String> pulledLayerBlobs() {
        try {
            JsonNode layers = JSON.readTree(dir.resolve("root/overlay-layers/layers.json").toFile());
            List<String> digests = new ArrayList<>();
            layers.forEach(layer -> digests.add(layer.path("compressed-diff-digest").asText()));
            return digests;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir + "'s layers.json", e);
        }
    }

    /**
     * How many of this store's layers were pulled partially, through their zstd:chunked table of contents:
     * containers/storage keeps the table of contents with such a layer (big data "zstd-chunked-manifest").
     */
    public long layersPulledByTableOfContents() {
        try {
            JsonNode layers = JSON.readTree(dir.resolve("root/overlay-layers/layers.json").toFile());
            long count = 0;
            for (JsonNode layer : layers) {
                for (JsonNode name : layer.path("big-data-names")) {
                    count += name.asText().equals("zstd-chunked-manifest") ? 1 : 0;
                }
            }
            return count;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir + "'s layers.json", e);
        }
    }

    /** Pushes an image of this store to {@code destination} (a containers/image reference) as zstd:chunked. */
    public void pushZstdChunked(String reference, String destination) {
        podman("push", "-q", "--compression-format", "zstd:chunked", reference, destination);
    }

    /** The manifest digests podman recorded for the image (the index's and the instance it chose). */
    public List<String> repoDigests(String reference) {
        String out = podman("image", "inspect", "--format", "{{range .RepoDigests}}{{println .}}{{end}}", reference);
        return out.lines().filter(l -> !l.isBlank()).map(l -> l.substring(l.indexOf('@') + 1)).toList();
    }

    private String podman(String... args) {
        // settings go in through env(1): ExternalTools runs a bare command line
        List<String> command = new ArrayList<>(List.of("env"));
        command.addAll(environment);
        command.addAll(List.of("podman", "--root", dir.resolve("root").toString(),
                "--runroot", dir.resolve("run").toString(), "--tmpdir", dir.resolve("tmp").toString(), "--runtime", "runc"));
        command.addAll(List.of(args));
        ExternalTools.Result result = ExternalTools.run(command);
        if (result.exitCode() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + result.exitCode() + ": " + result.stderr());
        }
        return result.out();
    }
}
