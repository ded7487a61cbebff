package dev.recast.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.Zstd;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A zstd:chunked layer's table of contents, read the way containers/storage reads it: the layer annotation
 * {@code …manifest-position} ({@code offset:length:uncompressedLength:type}) names a zstd frame of the blob, fetched
 * with a range request, that holds the JSON list of entries.
 */
public final class ChunkedTableOfContents {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ChunkedTableOfContents() {
    }

    /** Each file's owner as "uid:gid" (containers/storage leaves out zeros), by path without a leading "./" or "/". */
    public static Map<String, String> owners(LabRegistry registry, String repository, JsonNode layer, String positionAnnotation) {
        Map<String, String> owners = new LinkedHashMap<>();
        for (JsonNode entry : read(registry, repository, layer, positionAnnotation).path("entries")) {
            if (!entry.path("type").asText().equals("chunk")) {
                String name = entry.path("name").asText().replaceFirst("^\\./", "").replaceFirst("^/", "").replaceFirst("/$", "");
                owners.put(name, entry.path("uid").asInt(0) + ":" + entry.path("gid").asInt(0));
            }
        }
        return owners;
    }

    public static JsonNode read(LabRegistry registry, String repository, JsonNode layer, String positionAnnotation) {
        String[] position = layer.path("annotations").path(positionAnnotation).asText().split(":");
        if (position.length < 3) {
            throw new AssertionError("no " + positionAnnotation + " on " + layer);
        }
        long offset = Long.parseLong(position[0]);
        long length = Long.parseLong(position[1]);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + registry.host() + "/v2/" + repository + "/blobs/"
                        + layer.path("digest").asText()))
                .header("Range", "bytes=" + offset + "-" + (offset + length - 1)).build();
        try (HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build()) {
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 206 || response.body().length != length) {
                throw new AssertionError("range request for the table of contents: HTTP " + response.statusCode()
                        + ", " + response.body().length + " bytes");
            }
            return JSON.readTree(Zstd.decompress(response.body(), Integer.parseInt(position[2])));
        } catch (IOException e) {
            throw new AssertionError("cannot read the table of contents of " + layer, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
