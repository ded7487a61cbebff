package dev.recast.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Hostile images no build tool makes, pushed into a plain lab registry by hand (manifest PUTs over HTTP): indexes
 * nested very deep, indexes with thousands of entries, images with thousands of layers. Each stands on the hello
 * fixture, copied into the repository first, so that every manifest the registry is given is complete.
 */
public final class CraftedImages {
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** A manifest the registry holds: what an index entry pointing at it says. */
    public record Stored(String mediaType, String digest, long size) {
        String descriptor(String platform) {
            return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size
                    + (platform == null ? "" : ",\"platform\":" + platform) + "}";
        }
    }

    private CraftedImages() {
    }

    /**
     * An index {@code levels} deep, tagged {@code top}: each level lists the level below twice (as linux/amd64 and
     * linux/arm64), the bottom one lists the hello image. {@code levels + 1} manifests, 2^levels paths to the image.
     */
    public static Stored nestedIndex(LabRegistry lab, String repository, int levels) {
        Stored below = hello(lab, repository);
        for (int level = 1; level <= levels; level++) {
            String json = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\",\"manifests\":["
                    + below.descriptor("{\"architecture\":\"amd64\",\"os\":\"linux\"}") + ","
                    + below.descriptor("{\"architecture\":\"arm64\",\"os\":\"linux\"}") + "]}";
            below = put(lab, repository, level == levels ? "top" : null, OCI_INDEX, json);
        }
        return below;
    }

    /** An OCI index of {@code images}, the i-th as {@code platforms[i]} (JSON), stored under {@code tag}. */
    public static Stored index(LabRegistry lab, String repository, String tag, List<Stored> images, List<String> platforms) {
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            entries.add(images.get(i).descriptor(platforms.get(i)));
        }
        return put(lab, repository, tag, OCI_INDEX, "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX
                + "\",\"manifests\":[" + String.join(",", entries) + "]}");
    }

    /** An index listing the hello image {@code entries} times, tagged {@code wide}. */
    public static Stored wideIndex(LabRegistry lab, String repository, int entries) {
        String entry = hello(lab, repository).descriptor(null);
        StringBuilder json = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\",\"manifests\":[");
        for (int i = 0; i < entries; i++) {
            json.append(i == 0 ? "" : ",").append(entry);
        }
        return put(lab, repository, "wide", OCI_INDEX, json.append("]}").toString());
    }

    /** The hello image with its first layer listed {@code layers} times, tagged {@code layers}. */
    public static Stored manyLayers(LabRegistry lab, String repository, int layers) {
        hello(lab, repository);
        JsonNode manifest = RegistryImages.rawManifest(lab, repository + ":hello");
        List<String> repeated = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            repeated.add(manifest.path("layers").get(0).toString());
        }
        String type = manifest.path("mediaType").asText();
        String json = "{\"schemaVersion\":2,\"mediaType\":\"" + type + "\",\"config\":" + manifest.path("config")
                + ",\"layers\":[" + String.join(",", repeated) + "]}";
        return put(lab, repository, "layers", type, json);
    }

    /**
     * The hello image plus a layer of its own holding {@code text} (Docker v2s2, gzip), tagged {@code tag}: images that
     * share a base layer but differ, so that each conversion has its own result to check.
     */
    public static Stored distinct(LabRegistry lab, String repository, String tag, String text) {
        hello(lab, repository);
        JsonNode manifest = RegistryImages.rawManifest(lab, repository + ":hello");
        byte[] tar = new LayerTar().file("distinct.txt", text).build();
        byte[] layer = gzip(tar);
        uploadBlob(lab, repository, layer);
        ObjectNode config = (ObjectNode) readJson(blob(lab, repository, manifest.path("config").path("digest").asText()));
        ((ArrayNode) config.path("rootfs").path("diff_ids")).add(sha256(tar));
        byte[] configBytes = config.toString().getBytes(StandardCharsets.UTF_8);
        uploadBlob(lab, repository, configBytes);
        String type = manifest.path("mediaType").asText();
        List<String> layers = new ArrayList<>();
        manifest.path("layers").forEach(l -> layers.add(l.toString()));
        layers.add("{\"mediaType\":\"application/vnd.docker.image.rootfs.diff.tar.gzip\",\"digest\":\"" + sha256(layer)
                + "\",\"size\":" + layer.length + "}");
        String json = "{\"schemaVersion\":2,\"mediaType\":\"" + type + "\",\"config\":{\"mediaType\":\""
                + manifest.path("config").path("mediaType").asText() + "\",\"digest\":\"" + sha256(configBytes)
                + "\",\"size\":" + configBytes.length + "},\"layers\":[" + String.join(",", layers) + "]}";
        return put(lab, repository, tag, type, json);
    }

    /** The hello fixture, copied into {@code repository} as {@code hello}. */
    public static Stored hello(LabRegistry lab, String repository) {
        return copied(lab, "fixtures/hello:v2s2", repository, "hello");
    }

    /** A single-image fixture ({@code repository:tag} of the lab), copied into {@code repository} as {@code tag}. */
    public static Stored copied(LabRegistry lab, String fixture, String repository, String tag) {
        LabRegistry.copy(lab.host() + "/" + fixture, lab.host() + "/" + repository + ":" + tag);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + lab.host() + "/v2/" + repository
                + "/manifests/" + tag)).header("Accept", "application/vnd.docker.distribution.manifest.v2+json").build();
        HttpResponse<byte[]> response = exchange(request, HttpResponse.BodyHandlers.ofByteArray());
        return new Stored(response.headers().firstValue("Content-Type").orElseThrow(), sha256(response.body()),
                response.body().length);
    }

    /** Stores {@code json} by its digest, and under {@code tag} when not null. */
    public static Stored put(LabRegistry lab, String repository, String tag, String mediaType, String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        String digest = sha256(bytes);
        send(lab, repository, digest, mediaType, bytes);
        if (tag != null) {
            send(lab, repository, tag, mediaType, bytes);
        }
        return new Stored(mediaType, digest, bytes.length);
    }

    private static void send(LabRegistry lab, String repository, String reference, String mediaType, byte[] bytes) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + lab.host() + "/v2/" + repository
                        + "/manifests/" + reference)).header("Content-Type", mediaType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
        HttpResponse<String> response = exchange(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new AssertionError("PUT manifest " + repository + ":" + reference + " got " + response.statusCode()
                    + ": " + response.body());
        }
    }

    /** A monolithic upload: POST for a session, PUT the bytes with their digest. */
    private static void uploadBlob(LabRegistry lab, String repository, byte[] bytes) {
        HttpResponse<Void> started = exchange(HttpRequest.newBuilder(URI.create("http://" + lab.host() + "/v2/"
                + repository + "/blobs/uploads/")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding());
        URI location = URI.create("http://" + lab.host() + "/").resolve(started.headers().firstValue("Location").orElseThrow());
        String separator = location.getRawQuery() == null ? "?" : "&";
        HttpResponse<String> done = exchange(HttpRequest.newBuilder(URI.create(location + separator + "digest=" + sha256(bytes)))
                .header("Content-Type", "application/octet-stream").PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (done.statusCode() != 201) {
            throw new AssertionError("blob upload to " + repository + " got " + done.statusCode() + ": " + done.body());
        }
    }

    private static byte[] blob(LabRegistry lab, String repository, String digest) {
        return exchange(HttpRequest.newBuilder(URI.create("http://" + lab.host() + "/v2/" + repository + "/blobs/" + digest))
                .build(), HttpResponse.BodyHandlers.ofByteArray()).body();
    }

    private static JsonNode readJson(byte[] bytes) {
        try {
            return new ObjectMapper().readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> body) {
        try {
            return HTTP.send(request, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
