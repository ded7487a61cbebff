package dev.recast.api;

import dev.recast.index.IndexReport;
import dev.recast.service.ConversionService;
import dev.recast.service.IndexRequestBody;
import dev.recast.service.RequestCommands;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

@Path("/v1/indexes")
public class IndexesResource {
    private final ConversionService service;
    private final RequestCommands commands;

    public IndexesResource(ConversionService service, RequestCommands commands) {
        this.service = service;
        this.commands = commands;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Build a multi-arch OCI index from single-platform images and lists")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = IndexRequestBody.class), examples = @ExampleObject(name = "index",
            value = "{\"target\":\"127.0.0.1:5000/fixtures/app:multi\",\"sources\":[\"127.0.0.1:5000/fixtures/app:amd64\","
                    + "\"127.0.0.1:5000/fixtures/app:arm64\"],\"convert\":true,"
                    + "\"annotations\":{\"org.opencontainers.image.source\":\"https://example.com/app\"}}")))
    @APIResponse(responseCode = "200", description = "The index report",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = IndexReport.class)))
    @APIResponse(responseCode = "409", description = "Two sources give the same platform",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "A source is not a valid image",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public IndexReport build(IndexRequestBody body) {
        return service.index(commands.index(body));
    }
}
