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

    /** An image's v2s2 manifest; the source itself when it already is one with these very parts. */
    Content image(Manifest source, Descriptor config, List<Descriptor> layers) {
        if (source.artifactType() != null) {
            throw cannotCarry("image " + source.digest() + " is an artifact (artifactType " + source.artifactType() + ")");
        }
        Descriptor plainConfig = plain(config, null);
        List<Descriptor> plainLayers = layers.stream().map(layer -> plain(layer, null)).toList();
        noteDropped("image " + source.digest(), source.annotations(), source.subject());
        if (source.mediaType().equals(MediaType.DOCKER_MANIFEST) && source.annotations().isEmpty()
                && source.subject() == null && plainConfig.equals(source.config()) && plainLayers.equals(source.layers())) {
            return source.content();
        }
        return Manifest.create(MediaType.DOCKER_MANIFEST, null, plainConfig, plainLayers, null, Map.of()).content();
    }

    /** A list's v2s2 manifest list of its converted images; the source itself when it already is one of them. */
    Content list(Index source, List<Descriptor> images) {
        if (source.artifactType() != null) {
            throw cannotCarry("index " + source.digest() + " is an artifact (artifactType " + source.artifactType() + ")");
        }
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

    /** An index inside an index, or an artifact: nothing in v2s2 can hold it. */
    RecastException cannotCarry(String what) {
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
