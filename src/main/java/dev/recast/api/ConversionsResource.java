package dev.recast.api;

import dev.recast.convert.ConversionListener;
import dev.recast.convert.ConversionReport;
import dev.recast.service.ConversionService;
import dev.recast.service.ConversionRequestBody;
import dev.recast.service.ConversionSlots;
import dev.recast.service.RequestCommands;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

@Path("/v1/conversions")
public class ConversionsResource {
    static final String NDJSON = "application/x-ndjson";
    private final ConversionService service;
    private final RequestCommands commands;
    private final ApiJson json;

    public ConversionsResource(ConversionService service, RequestCommands commands, ApiJson json) {
        this.service = service;
        this.commands = commands;
        this.json = json;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({MediaType.APPLICATION_JSON, NDJSON})
    @Operation(summary = "Convert an image (or list) to OCI with recompressed layers",
            description = "Answers the report when done (outcome PLANNED for a dry run); with Accept: "
                    + "application/x-ndjson streams progress events (started, layer-started, layer-finished, done or "
                    + "error), one JSON object per line.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ConversionRequestBody.class), examples = @ExampleObject(name = "convert",
            value = "{\"source\":\"127.0.0.1:5000/fixtures/hello:v2s2\",\"target\":\"127.0.0.1:5000/fixtures/hello:oci\","
                    + "\"compression\":\"zstd\",\"level\":3}")))
    @APIResponse(responseCode = "200", description = "The conversion report, or its progress as NDJSON", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ConversionReport.class)),
            @Content(mediaType = NDJSON, schema = @Schema(implementation = ProgressEvent.class))})
    @APIResponse(responseCode = "422", description = "Digest mismatch or invalid image",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response convert(ConversionRequestBody body, @HeaderParam("Accept") String accept) {
        RequestCommands.Conversion command = commands.conversion(body);
        ConversionSlots.Slot slot = service.claimSlot();
        if (accept != null && accept.contains(NDJSON) && !accept.contains(MediaType.APPLICATION_JSON)) {
            StreamingOutput stream = out -> {
                try (slot) {
                    new ProgressStream(json.mapper(), out).run(service, command);
                }
            };
            return Response.ok(stream, NDJSON).build();
        }
        try (slot) {
            return Response.ok(service.convertInSlot(command.source(), command.target(), command.options(),
                    ConversionListener.NONE), MediaType.APPLICATION_JSON).build();
        }
    }
}
