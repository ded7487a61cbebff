package dev.recast.convert;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.model.Content;
import dev.recast.model.Descriptor;
import dev.recast.model.Index;
import dev.recast.model.Manifest;
import dev.recast.model.MediaType;
import dev.recast.model.Platform;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The way back: builds Docker V2 Schema 2 manifests and manifest lists from converted parts. What v2s2 cannot carry is
 * refused (artifacts, lists inside lists) or left out with a note in the report (annotations, subjects, attestations).
 */
final class V2s2ManifestWriter {
    private final ConversionRun run;

    V2s2ManifestWriter(ConversionRun run) {
        this.run = run;
    }

    /** Refuses, before any of its layers is touched, an image v2s2 cannot carry: an artifact. */
    void requireImage(Manifest manifest) {
        if (!manifest.isContainerImage()) {
            throw cannotCarry(manifest.digest() + " is not a container image (config " + manifest.config().mediaType()
                    + ")");
        }
        if (manifest.artifactType() != null) {
            throw cannotCarry(manifest.digest() + " is an artifact (artifactType " + manifest.artifactType() + ")");
        }
    }

    /** Refuses, before any entry is converted, an index v2s2 cannot carry: an artifact, or one inside another. */
    void requireList(Index index, int level) {
        if (level > 1) {
            throw cannotCarry("index " + index.digest() + " is listed by another index");
        }
        if (index.artifactType() != null) {
            throw cannotCarry("index " + index.digest() + " is an artifact (artifactType " + index.artifactType()
                    + ")");
        }
    }

    /** An image's v2s2 manifest (see {@link #requireImage}); the source itself when it already is this one. */
    Content image(Manifest source, Descriptor config, List<Descriptor> layers) {
        Descriptor plainConfig = plain(config, null);
        List<Descriptor> plainLayers = layers.stream().map(layer -> plain(layer, null)).toList();
        noteDropped("image " + source.digest(), source.annotations(), source.subject());
        if (source.mediaType().equals(MediaType.DOCKER_MANIFEST) && source.annotations().isEmpty()
                && source.subject() == null && plainConfig.equals(source.config())
                && plainLayers.equals(source.layers())) {
            return source.content();
        }
        return Manifest.create(MediaType.DOCKER_MANIFEST, null, plainConfig, plainLayers, null, Map.of()).content();
    }

    /** A list's v2s2 manifest list of its converted images; the source itself when it already is one of them. */
    Content list(Index source, List<Descriptor> images) {
        List<Descriptor> entries = images.stream().map(image -> plain(image, image.platform())).toList();
        noteDropped("index " + source.digest(), source.annotations(), source.subject());
        if (source.mediaType().equals(MediaType.DOCKER_MANIFEST_LIST) && source.annotations().isEmpty()
                && source.subject() == null && entries.equals(source.manifests())) {
            return source.content();
        }
        return Index.create(MediaType.DOCKER_MANIFEST_LIST, null, entries, null, Map.of()).content();
    }

    /** Attestations describe OCI images by digest: a Docker manifest list has no place for them. */
    void leaveOut(List<Descriptor> attestations) {
        attestations.forEach(attestation -> run.report().note("left out attestation " + attestation.digest()
                + ": a Docker v2s2 manifest list cannot carry it"));
    }

    private RecastException cannotCarry(String what) {
        return new RecastException(ErrorKind.UNSUPPORTED, what + ": Docker v2s2 cannot carry it (format v2s2 takes "
                + "container images and lists of them only)", run.imageName(), null, null);
    }

    /** A descriptor as v2s2 spells it: type, digest, size, urls (foreign layers) and, in a list, the platform. */
    private static Descriptor plain(Descriptor descriptor, Platform platform) {
        return new Descriptor(descriptor.mediaType(), descriptor.digest(), descriptor.size(), descriptor.urls(),
                Map.of(), platform, null);
    }

    private void noteDropped(String what, Map<String, String> annotations, Descriptor subject) {
        if (!annotations.isEmpty()) {
            run.report().note(what + ": annotations left out, v2s2 has none: "
                    + String.join(", ", new TreeSet<>(annotations.keySet())));
        }
        if (subject != null) {
            run.report().note(what + ": subject " + subject.digest() + " left out, v2s2 has none");
        }
    }
}
