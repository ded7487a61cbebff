package dev.recast.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recast.RecastException;

/** Descriptors and platforms as image JSON has them, read strictly and written in a fixed field order. */
public final class DescriptorJson {
    private DescriptorJson() {
    }

    public static Descriptor read(JsonNode node, String what) {
        if (!(node instanceof ObjectNode)) {
            throw ImageJson.invalid(what + " is not a descriptor object");
        }
        String type = ImageJson.requiredText(node, "mediaType", what);
        String digest = ImageJson.requiredText(node, "digest", what);
        JsonNode size = node.get("size");
        if (size == null || !size.canConvertToLong() || !size.isIntegralNumber()) {
            throw ImageJson.invalid(what + ": 'size' is missing or not an integer");
        }
        Platform platform = null;
        JsonNode platformNode = node.get("platform");
        if (platformNode != null && !platformNode.isNull()) {
            platform = readPlatform(platformNode, what + " platform");
        }
        Digest parsed;
        try {
            parsed = Digest.parse(digest);
        } catch (RecastException e) {
            throw ImageJson.invalid(what + ": " + e.getMessage());
        }
        return new Descriptor(MediaType.of(type), parsed, size.longValue(), ImageJson.strings(node, "urls", what),
                ImageJson.annotations(node, what), platform, ImageJson.text(node, "artifactType", what));
    }

    public static Platform readPlatform(JsonNode node, String what) {
        if (!node.isObject()) {
            throw ImageJson.invalid(what + " is not an object");
        }
        return new Platform(ImageJson.requiredText(node, "os", what), ImageJson.requiredText(node, "architecture", what),
                ImageJson.text(node, "variant", what), ImageJson.text(node, "os.version", what),
                ImageJson.strings(node, "os.features", what), ImageJson.strings(node, "features", what));
    }

    public static ObjectNode write(Descriptor d) {
        ObjectNode node = ImageJson.object();
        node.put("mediaType", d.mediaType().value());
        node.put("digest", d.digest().toString());
        node.put("size", d.size());
        if (!d.urls().isEmpty()) {
            ArrayNode urls = node.putArray("urls");
            d.urls().forEach(urls::add);
        }
        if (!d.annotations().isEmpty()) {
            node.set("annotations", ImageJson.writeAnnotations(d.annotations()));
        }
        if (d.platform() != null) {
            node.set("platform", writePlatform(d.platform()));
        }
        if (d.artifactType() != null) {
            node.put("artifactType", d.artifactType());
        }
        return node;
    }

    public static ObjectNode writePlatform(Platform p) {
        ObjectNode node = ImageJson.object();
        node.put("architecture", p.architecture());
        node.put("os", p.os());
        if (p.osVersion() != null) {
            node.put("os.version", p.osVersion());
        }
        if (!p.osFeatures().isEmpty()) {
            ArrayNode features = node.putArray("os.features");
            p.osFeatures().forEach(features::add);
        }
        if (p.variant() != null) {
            node.put("variant", p.variant());
        }
        if (!p.features().isEmpty()) {
            ArrayNode features = node.putArray("features");
            p.features().forEach(features::add);
        }
        return node;
    }
}
