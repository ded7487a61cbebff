package dev.recast.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recast.model.Descriptor;
import dev.recast.model.DescriptorJson;
import dev.recast.model.Digest;
import dev.recast.model.MediaType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A small image that real engines can run: Debian's static busybox, as Docker would push it (v2s2, gzip layers), in
 * three layers that use what unpacking gets wrong most easily: whiteouts of a file and a directory, an opaque
 * directory, hard links, a setuid file, symlinks, names and link targets over 100 bytes (PAX in one layer, GNU in
 * another), directories with 0700, 0555, 1777 and 2775, and files owned by uid/gid 1000. Its entrypoint prints
 * what it sees of all that, so running it shows whether the engine unpacked it right.
 */
public final class BusyboxImage {
    public static final String LONG_NAME = "data/long/" + "n".repeat(60) + "/" + "pax-".repeat(20) + "name.txt";
    public static final String GNU_LONG_NAME = "data/long/" + "g".repeat(50) + "/" + "gnu-".repeat(25) + "name.txt";
    /** What the entrypoint prints; each line checks one of the layers' tricks. */
    static final String SCRIPT = String.join("; ",
            "cd /data", "cat keep opaque/new", "ls -a opaque | tr '\\n' ' '", "echo",
            "test -e gone || echo gone-is-gone", "test -e gone-dir || echo gone-dir-is-gone",
            "stat -c '%a %u:%g %h %n' /bin/su-tool owned hard-a hard-b private readonly sticky shared",
            "readlink /bin/sh", "readlink long-link", "cat " + LONG_NAME.substring(5) + " " + GNU_LONG_NAME.substring(5),
            "cat /etc/platform");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An image in a registry: its reference (host/repository:tag), manifest digest and gzip layer digests. */
    public record Pushed(String reference, String manifestDigest, List<String> layerDigests) {
    }

    private BusyboxImage() {
    }

    /**
     * Builds the image for {@code architecture} under {@code work} in skopeo's {@code dir:} format (its OCI layout
     * reader finds only OCI manifests) and pushes it with skopeo, byte for byte.
     */
    public static Pushed push(LabRegistry registry, String repositoryAndTag, String architecture, Path work) {
        Path dir = work.resolve("image-" + architecture);
        List<byte[]> tars = List.of(base(architecture), changes(), longNames());
        List<Descriptor> layers = new ArrayList<>();
        ObjectNode config = JSON.createObjectNode();
        config.put("architecture", architecture);
        config.put("os", "linux");
        config.put("created", "2024-01-01T00:00:00Z");
        ObjectNode runConfig = config.putObject("config");
        runConfig.putArray("Entrypoint").add("/bin/busybox").add("sh").add("-c").add(SCRIPT);
        runConfig.putArray("Env").add("PATH=/bin");
        ObjectNode rootfs = config.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode diffIds = rootfs.putArray("diff_ids");
        ArrayNode history = config.putArray("history");
        for (byte[] tar : tars) {
            layers.add(blob(dir, MediaType.DOCKER_LAYER_GZIP, TestLayout.gzip(tar)));
            diffIds.add(Digest.sha256(tar).toString());
            history.addObject().put("created_by", "layer " + layers.size());
        }
        Descriptor configBlob = blob(dir, MediaType.DOCKER_CONFIG, json(config));
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", MediaType.DOCKER_MANIFEST.value());
        manifest.set("config", DescriptorJson.write(configBlob));
        ArrayNode layerArray = manifest.putArray("layers");
        layers.forEach(l -> layerArray.add(DescriptorJson.write(l)));
        byte[] manifestBytes = json(manifest);
        try {
            Files.write(dir.resolve("manifest.json"), manifestBytes);
            Files.writeString(dir.resolve("version"), "Directory Transport Version: 1.1\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String reference = registry.host() + "/" + repositoryAndTag;
        ExternalTools.check("skopeo", "copy", "-q", "--preserve-digests", "--dest-tls-verify=false",
                "dir:" + dir, "docker://" + reference);
        return new Pushed(reference, Digest.sha256(manifestBytes).toString(),
                layers.stream().map(l -> l.digest().toString()).toList());
    }

    private static byte[] base(String architecture) {
        try {
            return new LayerTar()
                    .dir("bin").file("bin/busybox", Files.readAllBytes(Path.of("/bin/busybox")), 0755, 0, 0)
                    .symlink("bin/sh", "busybox")
                    .dir("etc").file("etc/platform", "linux/" + architecture + "\n")
                    .dir("tmp", 01777, 0, 0)
                    .dir("data").file("data/keep", "keep v1\n").file("data/gone", "whited out\n")
                    .dir("data/gone-dir").file("data/gone-dir/inner", "whited out with its directory\n")
                    .dir("data/opaque").file("data/opaque/old-1", "hidden\n").file("data/opaque/old-2", "hidden\n")
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException("the test image needs /bin/busybox (Debian's busybox-static)", e);
        }
    }

    private static byte[] changes() {
        return new LayerTar()
                .dir("bin").file("bin/su-tool", "#!/bin/sh\necho setuid\n".getBytes(), 04755, 0, 0)
                .dir("data").whiteout("data/gone").whiteout("data/gone-dir")
                .dir("data/opaque").opaque("data/opaque").file("data/opaque/new", "opaque dir, new content\n")
                .file("data/hard-a", "one inode, two names\n").hardlink("data/hard-b", "data/hard-a")
                .file("data/owned", "owned by 1000:1000\n".getBytes(), 0640, 1000, 1000)
                .dir("data/private", 0700, 1000, 1000).file("data/private/secret", "0600\n".getBytes(), 0600, 1000, 1000)
                .dir("data/readonly", 0555, 0, 0).file("data/readonly/file", "in a 0555 dir\n")
                .dir("data/sticky", 01777, 0, 0).dir("data/shared", 02775, 0, 1000)
                .dir("data/long").dir("data/long/" + "n".repeat(60)).file(LONG_NAME, "PAX long name\n")
                .build();
    }

    private static byte[] longNames() {
        return new LayerTar().gnuLongNames()
                .dir("data").file("data/keep", "keep v2 (a later layer wins)\n")
                .dir("data/long").dir("data/long/" + "g".repeat(50)).file(GNU_LONG_NAME, "GNU long name\n")
                .symlink("data/long-link", "/" + GNU_LONG_NAME)
                .build();
    }

    private static Descriptor blob(Path dir, MediaType type, byte[] bytes) {
        Digest digest = Digest.sha256(bytes);
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve(digest.hex()), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Descriptor(type, digest, bytes.length);
    }

    private static byte[] json(ObjectNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
