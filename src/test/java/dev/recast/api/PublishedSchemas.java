package dev.recast.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi31;

import java.util.List;

/**
 * The schemas of the service's own OpenAPI 3.1 document (/q/openapi), as JSON Schema 2020-12 in the OAS 3.1 dialect
 * (networknt json-schema-validator), to check real answers against. One change makes the check strict: every object
 * schema that lists its properties is closed ({@code additionalProperties: false}), so that a field the service sends
 * but the document does not name fails, as well as a field of the wrong type.
 */
final class PublishedSchemas {
    private static final String DIALECT = "https://spec.openapis.org/oas/3.1/dialect/base";
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            builder -> builder.metaSchema(OpenApi31.getInstance()));
    private final JsonNode document;
    private final JsonNode components;

    PublishedSchemas(JsonNode document) {
        if (!document.path("openapi").asText().startsWith("3.1")) {
            throw new IllegalArgumentException("expected an OpenAPI 3.1 document, got " + document.path("openapi"));
        }
        this.document = document;
        this.components = closed(document.path("components").deepCopy());
    }

    /** The schema the document gives for this answer of this operation, or null when it gives none. */
    JsonNode responseSchema(String path, String method, int status, String mediaType) {
        JsonNode schema = document.path("paths").path(path).path(method).path("responses").path(String.valueOf(status))
                .path("content").path(mediaType).path("schema");
        return schema.isMissingNode() ? null : schema;
    }

    /** What is wrong with {@code body} as an instance of {@code schema} (a node of the document); empty when nothing. */
    List<String> violations(JsonNode schema, JsonNode body) {
        ObjectNode root = closed(schema.deepCopy());
        root.put("$schema", DIALECT);
        root.set("components", components);
        return FACTORY.getSchema(root).validate(body).stream().map(ValidationMessage::getMessage).toList();
    }

    /** The document's schema for a component, e.g. {@code Problem}. */
    JsonNode component(String name) {
        JsonNode schema = document.path("components").path("schemas").path(name);
        if (schema.isMissingNode()) {
            throw new IllegalArgumentException("the document has no schema " + name);
        }
        return schema;
    }

    private static <T extends JsonNode> T closed(T node) {
        if (node instanceof ObjectNode object && object.has("properties") && !object.has("additionalProperties")) {
            object.put("additionalProperties", false);
        }
        node.forEach(PublishedSchemas::closed);
        return node;
    }
}
