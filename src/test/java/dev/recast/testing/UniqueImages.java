package dev.recast.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recast.model.Descriptor;
import dev.recast.model.Digest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Images no other test has: layers of fresh random content, so that their converted blobs are theirs alone too
 * (blobs are shared by digest across a registry's repositories; a test that corrupts one must own it).
 */
public final class UniqueImages {

    private UniqueImages() {
    }

    /** A Docker v2s2 image of {@code layers} gzip layers pushed as {@code repository:tag}; returns its reference. */
    public static String push(LabRegistry lab, Path scratch, String repository, String tag, int layers) {
        TestLayout layout = new TestLayout(scratch.resolve(UUID.randomUUID().toString()));
        TestLayout.Image image = layout.image();
        for (int i = 0; i < layers; i++) {
            image.layer(new LayerTar().dir("data").file("data/layer-" + i, UUID.randomUUID() + " " + i).build());
        }
        Descriptor manifest = image.write();
        try {
            byte[] manifestBytes = Files.readAllBytes(layout.blobPath(manifest.digest()));
            JsonNode json = LabHttp.json(manifestBytes);
            List<String> blobs = new ArrayList<>(List.of(json.path("config").path("digest").asText()));
            json.path("layers").forEach(layer -> blobs.add(layer.path("digest").asText()));
            LabHttp http = new LabHttp(lab);
            for (String blob : blobs) {
                http.putBlob(repository, Files.readAllBytes(layout.blobPath(Digest.parse(blob))));
            }
            http.putManifest(repository, tag, manifest.mediaType().value(), manifestBytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lab.ref(repository + ":" + tag);
    }
}
