package dev.recast.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recast.model.Compression;
import dev.recast.model.Descriptor;
import dev.recast.model.DescriptorJson;
import dev.recast.model.Digest;
import dev.recast.model.ImageJson;
import dev.recast.model.MediaType;
import dev.recast.model.Platform;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Writes test images into an OCI layout the way Docker would push them: v2s2 manifests and lists with gzip
 * layers (or other media types when a test needs them). Independent of the engine's own writers.
 */
public final class TestLayout {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path dir;
    private final List<ObjectNode> refs = new ArrayList<>();

    public TestLayout(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir.resolve("blobs/sha256"));
            Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
            writeIndex();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path dir() {
        return dir;
    }

    public String ref(String tag) {
        return "oci:" + dir + ":" + tag;
    }

    public Path blobPath(Digest digest) {
        return dir.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex());
    }

    public Descriptor blob(MediaType type, byte[] bytes) {
        Digest digest = Digest.sha256(bytes);
        try {
            Files.write(blobPath(digest), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Descriptor(type, digest, bytes.length);
    }

    public void tag(String tag, Descriptor manifest) {
        ObjectNode entry = DescriptorJson.write(manifest.withPlatform(null));
        entry.putObject("annotations").put("org.opencontainers.image.ref.name", tag);
        refs.add(entry);
        writeIndex();
    }

    private void writeIndex() {
        ObjectNode index = JSON.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", MediaType.OCI_INDEX.value());
        ArrayNode manifests = index.putArray("manifests");
        refs.forEach(manifests::add);
        try {
            Files.write(dir.resolve("index.json"), JSON.writeValueAsBytes(index));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An image built from layer tars; {@link #write} stores it. */
    public final class Image {
        /** A layer to write: a tar to compress and store, or a foreign descriptor with its diff_id. */
        private record Layer(byte[] tar, Descriptor foreign, Digest foreignDiffId) {
        }

        private final List<Layer> layers = new ArrayList<>();
        private String os = "linux";
        private String arch = "amd64";
        private String variant;
        private Compression compression = Compression.GZIP;
        private List<Digest> diffIdOverride;

        public Image layer(byte[] tar) {
            layers.add(new Layer(tar, null, null));
            return this;
        }

        public Image platform(String platform) {
            Platform p = Platform.parse(platform);
            os = p.os();
            arch = p.architecture();
            variant = p.variant();
            return this;
        }

        public Image compression(Compression value) {
            compression = value;
            return this;
        }

        /** Adds a foreign (non-distributable) layer whose blob is not stored anywhere here. */
        public Image foreignLayer(Digest digest, long size, Digest diffId, String url) {
            layers.add(new Layer(null, new Descriptor(MediaType.DOCKER_FOREIGN_LAYER_GZIP, digest, size,
                    List.of(url), Map.of(), null, null), diffId));
            return this;
        }

        public Image diffIds(List<Digest> override) {
            diffIdOverride = override;
            return this;
        }

        /** Stores config, layers and a Docker v2s2 manifest; returns the manifest descriptor with its platform. */
        public Descriptor write() {
            List<Descriptor> descriptors = new ArrayList<>();
            List<String> diffIds = new ArrayList<>();
            for (Layer layer : layers) {
                if (layer.foreign() != null) {
                    descriptors.add(layer.foreign());
                    diffIds.add(layer.foreignDiffId().toString());
                    continue;
                }
                diffIds.add(Digest.sha256(layer.tar()).toString());
                descriptors.add(switch (compression) {
                    case GZIP -> blob(MediaType.DOCKER_LAYER_GZIP, gzip(layer.tar()));
                    case NONE -> blob(MediaType.DOCKER_LAYER, layer.tar());
                    case ZSTD -> blob(MediaType.OCI_LAYER_ZSTD, zstd(layer.tar()));
                    case ZSTD_CHUNKED -> throw new IllegalArgumentException("zstd:chunked is made by Recast, not here");
                });
            }
            if (diffIdOverride != null) {
                diffIds = diffIdOverride.stream().map(Digest::toString).toList();
            }
            ObjectNode config = JSON.createObjectNode();
            config.put("architecture", arch);
            config.put("os", os);
            if (variant != null) {
                config.put("variant", variant);
            }
            config.put("created", "2024-01-01T00:00:00Z");
            config.putObject("config").putArray("Cmd").add("/bin/sh");
            config.put("docker_version", "24.0.0");
            ObjectNode rootfs = config.putObject("rootfs");
            rootfs.put("type", "layers");
            ArrayNode ids = rootfs.putArray("diff_ids");
            diffIds.forEach(ids::add);
            ArrayNode history = config.putArray("history");
            for (int i = 0; i < descriptors.size(); i++) {
                history.addObject().put("created_by", "layer " + i);
            }
            Descriptor configBlob = blob(MediaType.DOCKER_CONFIG, bytes(config));
            ObjectNode manifest = JSON.createObjectNode();
            manifest.put("schemaVersion", 2);
            manifest.put("mediaType", MediaType.DOCKER_MANIFEST.value());
            manifest.set("config", DescriptorJson.write(configBlob));
            ArrayNode layerArray = manifest.putArray("layers");
            descriptors.forEach(l -> layerArray.add(DescriptorJson.write(l)));
            return blob(MediaType.DOCKER_MANIFEST, bytes(manifest))
                    .withPlatform(new Platform(os, arch, variant));
        }
    }

    public Image image() {
        return new Image();
    }

    /** Stores a Docker manifest list of the given images (descriptors with platforms). */
    public Descriptor dockerList(List<Descriptor> images) {
        ObjectNode list = JSON.createObjectNode();
        list.put("schemaVersion", 2);
        list.put("mediaType", MediaType.DOCKER_MANIFEST_LIST.value());
        ArrayNode manifests = list.putArray("manifests");
        images.forEach(d -> manifests.add(DescriptorJson.write(d)));
        return blob(MediaType.DOCKER_MANIFEST_LIST, bytes(list));
    }

    public static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static byte[] zstd(byte[] data) {
        return com.github.luben.zstd.Zstd.compress(data, 3);
    }

    private static byte[] bytes(ObjectNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
