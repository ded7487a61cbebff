package dev.recast.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import jakarta.ws.rs.ext.ContextResolver;
import jakarta.ws.rs.ext.Provider;

/**
 * The JSON the REST API reads and writes, for the API only (the Lambda and the CLI keep their own).
 * <ul>
 * <li>Reading is strict: an unknown field (a misspelled {@code dry_run} would otherwise be ignored and the write
 * happen), a repeated field, a value of the wrong type ({@code "3"} for a number, {@code 3} for a string, {@code 3.5}
 * for an integer, {@code 1} for a boolean) or anything after the object is a 400 problem naming it.</li>
 * <li>Writing leaves out fields without a value, so that every field present has the type the OpenAPI document
 * gives it.</li>
 * </ul>
 */
@Provider
public class ApiJson implements ContextResolver<ObjectMapper> {
    private final ObjectMapper mapper;

    public ApiJson(ObjectMapper base) {
        this.mapper = strict(base.copy());
    }

    static ObjectMapper strict(ObjectMapper mapper) {
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_TRAILING_TOKENS,
                        DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .setSerializationInclusion(JsonInclude.Include.NON_NULL);
        mapper.coercionConfigDefaults().setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        for (CoercionInputShape scalar : new CoercionInputShape[]{CoercionInputShape.Integer, CoercionInputShape.Float,
                CoercionInputShape.Boolean}) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(scalar, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        return mapper;
    }

    /** The API's mapper, for what a resource writes itself (NDJSON events). */
    public ObjectMapper mapper() {
        return mapper;
    }

    @Override
    public ObjectMapper getContext(Class<?> type) {
        return mapper;
    }
}
