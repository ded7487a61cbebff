package dev.recast.model;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A single-image manifest (Docker v2s2 or OCI) and the bytes it is stored as. */
public record Manifest(MediaType mediaType, String artifactType, Descriptor config, List<Descriptor> layers,
                       Descriptor subject, Map<String, String> annotations, Content content) implements ImageManifest {

    public Manifest {
        layers = List.copyOf(layers);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    static Manifest parse(Content content, ObjectNode json) {
        String what = "manifest " + content.digest();
        ImageJson.requireSchemaVersion2(json, what);
        Descriptor config = DescriptorJson.read(json.get("config"), what + " config");
        List<Descriptor> layers = new ArrayList<>();
        List<ObjectNode> layerNodes = ImageJson.objects(json, "layers", what, true);
        for (int i = 0; i < layerNodes.size(); i++) {
            layers.add(DescriptorJson.read(layerNodes.get(i), what + " layer " + i));
        }
        Descriptor subject = ImageJson.subject(json, what);
        return new Manifest(content.mediaType(), ImageJson.text(json, "artifactType", what), config, layers, subject,
                ImageJson.annotations(json, what), content);
    }

    /** Builds and serialises a new manifest; the same inputs always give the same bytes. */
    public static Manifest create(MediaType mediaType, String artifactType, Descriptor config, List<Descriptor> layers,
                                  Descriptor subject, Map<String, String> annotations) {
        ObjectNode json = ImageJson.document(mediaType, artifactType);
        json.set("config", DescriptorJson.write(config));
        ArrayNode layerArray = json.putArray("layers");
        layers.forEach(layer -> layerArray.add(DescriptorJson.write(layer)));
        return new Manifest(mediaType, artifactType, config, layers, subject, annotations,
                ImageJson.finish(json, mediaType, subject, annotations));
    }

    /**
     * An image config and only filesystem layers. Anything else is an artifact (a cosign signature has an image
     * config but a signature payload as its layer) and is copied as it is, never converted.
     */
    public boolean isContainerImage() {
        return config.mediaType().isImageConfig() && layers.stream().allMatch(layer -> layer.mediaType().isLayer());
    }
}
