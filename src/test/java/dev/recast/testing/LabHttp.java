package dev.recast.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Plain registry API calls to a lab registry, for tests that read or change what Recast wrote behind its back. */
public final class LabHttp {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String ACCEPT = "application/vnd.oci.image.manifest.v1+json,"
            + "application/vnd.oci.image.index.v1+json,application/vnd.docker.distribution.manifest.v2+json,"
            + "application/vnd.docker.distribution.manifest.list.v2+json";
    private final LabRegistry lab;

    public LabHttp(LabRegistry lab) {
        this.lab = lab;
    }

    /** A manifest as stored, or null when the registry has none (404). */
    public byte[] manifest(String repository, String reference) {
        HttpResponse<byte[]> response = send(request(repository, "manifests/" + reference).header("Accept", ACCEPT)
                .GET().build());
        if (response.statusCode() == 404) {
            return null;
        }
        expect(response, 200);
        return response.body();
    }

    public JsonNode manifestJson(String repository, String reference) {
        byte[] bytes = manifest(repository, reference);
        return bytes == null ? null : json(bytes);
    }

    public byte[] blob(String repository, String digest) {
        HttpResponse<byte[]> response = send(request(repository, "blobs/" + digest).GET().build());
        expect(response, 200);
        return response.body();
    }

    /** Uploads a blob in one request; returns its digest. */
    public String putBlob(String repository, byte[] bytes) {
        String digest = sha256(bytes);
        HttpResponse<byte[]> started = send(request(repository, "blobs/uploads/")
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        expect(started, 202);
        String location = started.headers().firstValue("Location").orElseThrow();
        URI upload = URI.create("http://" + lab.host()).resolve(location);
        String separator = upload.getQuery() == null ? "?" : "&";
        expect(send(HttpRequest.newBuilder(URI.create(upload + separator + "digest=" + digest))
                .header("Content-Type", "application/octet-stream").PUT(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build()), 201);
        return digest;
    }

    /** Stores a manifest under {@code reference} (a tag or its digest); returns its digest. */
    public String putManifest(String repository, String reference, String mediaType, byte[] bytes) {
        expect(send(request(repository, "manifests/" + reference).header("Content-Type", mediaType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build()), 201);
        return sha256(bytes);
    }

    public void deleteManifest(String repository, String digest) {
        expect(send(request(repository, "manifests/" + digest).DELETE().build()), 202);
    }

    public static JsonNode json(byte[] bytes) {
        try {
            return new ObjectMapper().readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String sha256(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest.Builder request(String repository, String path) {
        return HttpRequest.newBuilder(URI.create("http://" + lab.host() + "/v2/" + repository + "/" + path));
    }

    private static void expect(HttpResponse<byte[]> response, int status) {
        if (response.statusCode() != status) {
            throw new AssertionError(response.request().method() + " " + response.request().uri() + " got "
                    + response.statusCode() + ": " + new String(response.body()));
        }
    }

    private static HttpResponse<byte[]> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
