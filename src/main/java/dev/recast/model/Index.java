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
        ImageJson.requireSchemaVersion2(json, what);
        List<Descriptor> manifests = new ArrayList<>();
        List<ObjectNode> nodes = ImageJson.objects(json, "manifests", what, true);
        for (int i = 0; i < nodes.size(); i++) {
            manifests.add(DescriptorJson.read(nodes.get(i), what + " entry " + i));
        }
        Descriptor subject = ImageJson.subject(json, what);
        return new Index(content.mediaType(), ImageJson.text(json, "artifactType", what), manifests, subject,
                ImageJson.annotations(json, what), content);
    }

    /** Builds and serialises a new index; the same inputs always give the same bytes. */
    public static Index create(MediaType mediaType, String artifactType, List<Descriptor> manifests,
                               Descriptor subject, Map<String, String> annotations) {
        ObjectNode json = ImageJson.document(mediaType, artifactType);
        ArrayNode array = json.putArray("manifests");
        manifests.forEach(m -> array.add(DescriptorJson.write(m)));
        return new Index(mediaType, artifactType, manifests, subject, annotations,
                ImageJson.finish(json, mediaType, subject, annotations));
    }
}
