package dev.recast.engines;

import dev.recast.testing.BusyboxImage;
import dev.recast.testing.Containerd;
import dev.recast.testing.ExternalTools;
import dev.recast.testing.LabRegistry;
import dev.recast.testing.Podman;
import dev.recast.testing.RecastProcess;
import dev.recast.testing.UnpackedTree;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the engine tests share, once per test JVM: a lab registry holding the busybox test image (amd64, and an arm64
 * twin for indexes), a containerd of their own, and a scratch directory for podman stores and mounts. What an engine
 * saw of an image is kept, so the original is pulled once per engine however many conversions compare with it.
 */
final class EngineLab {
    private static EngineLab shared;

    final LabRegistry registry;
    final BusyboxImage.Pushed amd64;
    final BusyboxImage.Pushed arm64;
    private final Path work;
    private final Containerd containerd;
    private final Map<String, Seen> seenByContainerd = new ConcurrentHashMap<>();
    private final Map<String, Seen> seenByPodman = new ConcurrentHashMap<>();
    private final Map<String, Integer> podmanDirs = new java.util.HashMap<>();

    /** What an engine made of an image: the entrypoint's output when run, and the unpacked tree. */
    record Seen(String output, UnpackedTree tree) {
    }

    private EngineLab(Path work) {
        this.work = work;
        this.registry = LabRegistry.second();
        this.amd64 = BusyboxImage.push(registry, "engines/busybox:amd64", "amd64", work);
        this.arm64 = BusyboxImage.push(registry, "engines/busybox:arm64", "arm64", work);
        this.containerd = Containerd.start(work.resolve("containerd"));
    }

    static synchronized EngineLab shared() {
        if (shared == null) {
            Path work;
            try {
                work = Files.createTempDirectory("rce");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            shared = new EngineLab(work);
            EngineLab lab = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(lab::close));
        }
        return shared;
    }

    /** A reference in the lab registry: host/repository:tag. */
    String ref(String repositoryAndTag) {
        return registry.host() + "/" + repositoryAndTag;
    }

    /** Runs the recast CLI against the lab registry (plain HTTP); returns its report. */
    String recast(String... args) {
        List<String> command = new ArrayList<>(List.of(args));
        command.addAll(List.of("--insecure", registry.host(), "--progress", "none"));
        return RecastProcess.run(command.toArray(String[]::new));
    }

    Containerd containerd() {
        return containerd;
    }

    /** A directory for one test's files, removed with the rest at exit. */
    Path scratch(String name) {
        return work.resolve(name);
    }

    /** A podman store of its own for one image (the same store again for the same name). */
    Podman podman(String name) {
        return Podman.store(podmanDir(name));
    }

    Podman partialPullPodman(String name) {
        return Podman.partialPullStore(podmanDir(name));
    }

    /** Numbered, not named: podman refuses a runroot path longer than 50 characters. */
    private synchronized Path podmanDir(String name) {
        return work.resolve("p" + podmanDirs.computeIfAbsent(name, n -> podmanDirs.size()));
    }

    /** ctr pulls the image into a namespace of its own, runs it and reads its snapshot. */
    Seen viaContainerd(String reference) {
        return seenByContainerd.computeIfAbsent(reference, r -> {
            String namespace = storeName(r);
            containerd.pull(namespace, r);
            return new Seen(containerd.run(namespace, r), containerd.tree(namespace, r));
        });
    }

    /** podman pulls the image into a store of its own, runs it and reads its mount. */
    Seen viaPodman(String reference) {
        return seenByPodman.computeIfAbsent(reference, r -> {
            Podman podman = podman(storeName(r));
            podman.pull(r);
            return new Seen(podman.run(r), podman.tree(r));
        });
    }

    /** A namespace or directory name for an image: containerd allows letters, digits, '.', '-' and '_'. */
    static String storeName(String reference) {
        return reference.substring(reference.indexOf('/') + 1).replaceAll("[^A-Za-z0-9]+", "-");
    }

    private void close() {
        containerd.close();
        // --one-file-system: a mount left behind by a failed test is skipped, never emptied
        ExternalTools.run(List.of("rm", "-rf", "--one-file-system", work.toString()));
    }
}
