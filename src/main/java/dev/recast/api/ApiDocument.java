package dev.recast.api;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

import java.util.Map;

/**
 * What every operation of the OpenAPI document has in common, said once: the API token (bearer) on every API
 * operation but webhooks (which carry their own secrets), and the problems any of them can answer.
 */
public class ApiDocument implements OASFilter {
    static final String BEARER = "bearer";
    private static final String PROBLEM = "#/components/schemas/Problem";
    private static final Map<String, String> EVERY_OPERATION = Map.of(
            "400", "Bad request: a malformed reference, option or body (unknown field, wrong type, invalid JSON)",
            "403", "Refused by the service's policy (e.g. a registry it may not contact)",
            "404", "Unknown image (or path, or webhook provider)",
            "429", "Concurrency limit or webhook queue full (see Retry-After)",
            "500", "Internal error",
            "502", "The registry refused Recast's credentials or failed");
    private static final Map<String, String> WITH_BODY = Map.of(
            "408", "The request body did not arrive within recast.api.body-timeout",
            "413", "The request body is over the limit");

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        openAPI.getComponents().addSecurityScheme(BEARER, OASFactory.createSecurityScheme()
                .type(SecurityScheme.Type.HTTP).scheme("bearer")
                .description("Authorization: Bearer <recast.api.token> (RECAST_API_TOKEN)"));
        openAPI.getPaths().getPathItems().forEach((path, item) -> item.getOperations().forEach((method, operation) ->
                complete(path, method, operation)));
    }

    private static void complete(String path, PathItem.HttpMethod method, Operation operation) {
        boolean webhook = path.startsWith("/v1/webhooks/");
        if (!webhook) {
            operation.addSecurityRequirement(OASFactory.createSecurityRequirement().addScheme(BEARER));
        }
        problem(operation, "401", webhook ? "The delivery lacks the provider's webhook secret"
                : "Authorization: Bearer <token> missing or wrong");
        EVERY_OPERATION.forEach((status, description) -> problem(operation, status, description));
        if (operation.getRequestBody() != null) {
            WITH_BODY.forEach((status, description) -> problem(operation, status, description));
            if (!webhook) {
                problem(operation, "415", "The body is not application/json");
            }
        }
    }

    /** Adds the problem answer, or its body to an answer declared without one; answers declared in full stay. */
    private static void problem(Operation operation, String status, String description) {
        APIResponse declared = operation.getResponses().getAPIResponse(status);
        if (declared != null && declared.getContent() != null && !declared.getContent().getMediaTypes().isEmpty()) {
            return;
        }
        APIResponse response = declared != null ? declared : OASFactory.createAPIResponse().description(description);
        operation.getResponses().addAPIResponse(status, response.content(OASFactory.createContent().addMediaType(
                Problem.MEDIA_TYPE, OASFactory.createMediaType().schema(OASFactory.createSchema().ref(PROBLEM)))));
    }
}
