package dev.recast.api;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.index.IndexReport;
import dev.recast.index.IndexRequest;
import dev.recast.index.IndexSource;
import dev.recast.model.Platform;
import dev.recast.service.ConversionService;
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

import java.util.List;
import java.util.Map;

@Path("/v1/indexes")
public class IndexesResource {
    private final ConversionService service;

    public IndexesResource(ConversionService service) {
        this.service = service;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Build a multi-arch OCI index from single-platform images and lists")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "index",
            value = "{\"target\":\"127.0.0.1:5000/fixtures/app:multi\",\"sources\":[\"127.0.0.1:5000/fixtures/app:amd64\","
                    + "\"127.0.0.1:5000/fixtures/app:arm64\"],\"convert\":true,"
                    + "\"annotations\":{\"org.opencontainers.image.source\":\"https://example.com/app\"}}")))
    @APIResponse(responseCode = "200", description = "The index report",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = IndexReport.class)))
    @APIResponse(responseCode = "409", description = "Two sources give the same platform", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public IndexReport build(IndexRequestBody body) {
        if (body == null || body.target() == null || body.target().isBlank()) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "'target' is required");
        }
        if (body.sources() == null || body.sources().isEmpty()) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "'sources' needs at least one image");
        }
        Map<String, String> platforms = body.platforms() == null ? Map.of() : body.platforms();
        for (String key : platforms.keySet()) {
            if (!body.sources().contains(key)) {
                throw new RecastException(ErrorKind.BAD_REQUEST, "'platforms' names " + key + ", which is not among the sources");
            }
        }
        List<IndexSource> sources = body.sources().stream().map(text -> new IndexSource(service.reference(text),
                platforms.containsKey(text) ? Platform.parse(platforms.get(text)) : null)).toList();
        return service.index(new IndexRequest(service.reference(body.target()), sources, Boolean.TRUE.equals(body.convert()),
                service.options(body.compression(), body.level(), null, body.dryRun()), Boolean.TRUE.equals(body.replace()),
                Boolean.TRUE.equals(body.append()), body.annotations()));
    }
}
