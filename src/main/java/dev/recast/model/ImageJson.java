package dev.recast.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recast.ErrorKind;
import dev.recast.RecastException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Strict reading and deterministic writing of image JSON (manifests, indexes, configs, descriptors).
 * Duplicate keys and trailing data are refused: two parsers must never see two different manifests in one blob.
 */
public final class ImageJson {
    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
            .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private ImageJson() {
    }

    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** Parses a JSON object, or fails with an {@link ErrorKind#INVALID_IMAGE} naming what was read. */
    public static ObjectNode readObject(byte[] bytes, String what) {
        JsonNode node;
        try {
            node = MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw invalid(what + " is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw invalid(what + " could not be read: " + e.getMessage());
        }
        if (!(node instanceof ObjectNode object)) {
            throw invalid(what + " is not a JSON object");
        }
        return object;
    }

    public static byte[] write(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise JSON", e);
        }
    }

    static String text(JsonNode parent, String field, String what) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw invalid(what + ": field '" + field + "' must be a string");
        }
        return value.textValue();
    }

    static String requiredText(JsonNode parent, String field, String what) {
        String value = text(parent, field, what);
        if (value == null) {
            throw invalid(what + ": field '" + field + "' is missing");
        }
        return value;
    }

    static List<String> strings(JsonNode parent, String field, String what) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw invalid(what + ": field '" + field + "' must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw invalid(what + ": field '" + field + "' must be an array of strings");
            }
            out.add(item.textValue());
        }
        return out;
    }

    static Map<String, String> annotations(JsonNode parent, String what) {
        JsonNode value = parent.get("annotations");
        if (value == null || value.isNull()) {
            return Map.of();
        }
        if (!value.isObject()) {
            throw invalid(what + ": 'annotations' must be an object of strings");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : value.properties()) {
            if (!entry.getValue().isTextual()) {
                throw invalid(what + ": annotation '" + entry.getKey() + "' must be a string");
            }
            out.put(entry.getKey(), entry.getValue().textValue());
        }
        return out;
    }

    /** Manifests and indexes are schemaVersion 2; anything else is not ours to read. */
    static void requireSchemaVersion2(JsonNode node, String what) {
        JsonNode value = node.get("schemaVersion");
        if (value == null || !value.isInt()) {
            throw invalid(what + ": 'schemaVersion' is missing or not a number");
        }
        if (value.intValue() != 2) {
            throw invalid(what + ": schemaVersion must be 2");
        }
    }

    /** The optional OCI 1.1 {@code subject} descriptor. */
    static Descriptor subject(JsonNode node, String what) {
        return node.hasNonNull("subject") ? DescriptorJson.read(node.get("subject"), what + " subject") : null;
    }

    /** Starts a manifest or index document: schemaVersion, mediaType, artifactType, in that order. */
    static ObjectNode document(MediaType mediaType, String artifactType) {
        ObjectNode json = object();
        json.put("schemaVersion", 2);
        json.put("mediaType", mediaType.value());
        if (artifactType != null) {
            json.put("artifactType", artifactType);
        }
        return json;
    }

    /** Ends a manifest or index document with its subject and annotations, and serialises it. */
    static Content finish(ObjectNode json, MediaType mediaType, Descriptor subject, Map<String, String> annotations) {
        if (subject != null) {
            json.set("subject", DescriptorJson.write(subject));
        }
        if (annotations != null && !annotations.isEmpty()) {
            json.set("annotations", writeAnnotations(annotations));
        }
        return Content.of(mediaType, write(json));
    }

    static List<ObjectNode> objects(JsonNode parent, String field, String what, boolean required) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw invalid(what + ": field '" + field + "' is missing");
            }
            return List.of();
        }
        if (!value.isArray()) {
            throw invalid(what + ": field '" + field + "' must be an array");
        }
        List<ObjectNode> out = new ArrayList<>();
        for (JsonNode item : value) {
            if (!(item instanceof ObjectNode object)) {
                throw invalid(what + ": every entry of '" + field + "' must be an object");
            }
            out.add(object);
        }
        return out;
    }

    static ObjectNode writeAnnotations(Map<String, String> annotations) {
        ObjectNode node = object();
        annotations.forEach(node::put);
        return node;
    }

    static RecastException invalid(String message) {
        return new RecastException(ErrorKind.INVALID_IMAGE, message);
    }
}
