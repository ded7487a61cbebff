package dev.recast.model;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A multi-platform list (Docker manifest list or OCI image index) and the bytes it is stored as. */
public record Index(MediaType mediaType, String artifactType, List<Descriptor> manifests, Descriptor subject,
                    Map<String, String> annotations, Content content) implements ImageManifest {

    public Index {
        manifests = List.copyOf(manifests);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    static Index parse(Content content, ObjectNode json) {
        String what = "index " + content.digest();
        if (ImageJson.schemaVersion(json, what) != 2) {
            throw ImageJson.invalid(what + ": schemaVersion must be 2");
        }
        List<Descriptor> manifests = new ArrayList<>();
        List<ObjectNode> nodes = ImageJson.objects(json, "manifests", what, true);
        for (int i = 0; i < nodes.size(); i++) {
            manifests.add(ImageJson.readDescriptor(nodes.get(i), what + " entry " + i));
        }
        Descriptor subject = json.hasNonNull("subject") ? ImageJson.readDescriptor(json.get("subject"), what + " subject") : null;
        return new Index(content.mediaType(), ImageJson.text(json, "artifactType", what), manifests, subject,
                ImageJson.annotations(json, what), content);
    }

    /** Builds and serialises a new index; the same inputs always give the same bytes. */
    public static Index create(MediaType mediaType, String artifactType, List<Descriptor> manifests,
                               Descriptor subject, Map<String, String> annotations) {
        ObjectNode json = ImageJson.object();
        json.put("schemaVersion", 2);
        json.put("mediaType", mediaType.value());
        if (artifactType != null) {
            json.put("artifactType", artifactType);
        }
        ArrayNode array = json.putArray("manifests");
        manifests.forEach(m -> array.add(ImageJson.writeDescriptor(m)));
        if (subject != null) {
            json.set("subject", ImageJson.writeDescriptor(subject));
        }
        if (annotations != null && !annotations.isEmpty()) {
            json.set("annotations", ImageJson.writeAnnotations(annotations));
        }
        return new Index(mediaType, artifactType, manifests, subject, annotations,
                Content.of(mediaType, ImageJson.write(json)));
    }
}
