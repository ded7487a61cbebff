package dev.recast.registry.referrers;

import dev.recast.model.Content;
import dev.recast.model.Descriptor;
import dev.recast.model.Manifest;
import dev.recast.model.MediaType;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A new OCI 1.1 artifact that refers to an image: an OCI manifest with {@code artifactType}, the empty config, the
 * payloads as layers and {@code subject} naming the image (the image-spec's "guidelines for artifact usage").
 *
 * @param payloads small documents (an SBOM, an in-toto statement), held in memory like manifests
 */
public record ReferrerArtifact(Descriptor subject, String artifactType, List<Payload> payloads,
                               Map<String, String> annotations) {

    /** One layer of the artifact. */
    public record Payload(MediaType mediaType, byte[] bytes, Map<String, String> annotations) {
        public Content content() {
            return Content.of(mediaType, bytes);
        }

        Descriptor descriptor() {
            return content().descriptor().withAnnotations(annotations);
        }
    }

    public ReferrerArtifact {
        payloads = List.copyOf(payloads);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    /** The manifest; the same artifact always gives the same bytes. */
    public Manifest manifest() {
        return Manifest.create(MediaType.OCI_MANIFEST, artifactType, Content.OCI_EMPTY.descriptor(),
                payloads.stream().map(Payload::descriptor).toList(), subject, new TreeMap<>(annotations));
    }
}
