package dev.recast.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recast.RecastException;
import dev.recast.convert.ConversionListener;
import dev.recast.convert.ConversionOptions;
import dev.recast.convert.ConversionReport;
import dev.recast.convert.LayerAction;
import dev.recast.model.Descriptor;
import dev.recast.registry.ImageReference;
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

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

@Path("/v1/conversions")
public class ConversionsResource {
    static final String NDJSON = "application/x-ndjson";
    private final ConversionService service;
    private final RequestCommands commands;
    private final ObjectMapper json;

    public ConversionsResource(ConversionService service, RequestCommands commands, ObjectMapper json) {
        this.service = service;
        this.commands = commands;
        this.json = json;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({MediaType.APPLICATION_JSON, NDJSON})
    @Operation(summary = "Convert an image (or list) to OCI with recompressed layers",
            description = "Answers the report when done; with Accept: application/x-ndjson streams progress events "
                    + "(started, layer-started, layer-finished, done or error), one JSON object per line.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "convert",
            value = "{\"source\":\"127.0.0.1:5000/fixtures/hello:v2s2\",\"target\":\"127.0.0.1:5000/fixtures/hello:oci\","
                    + "\"compression\":\"zstd\",\"level\":3}")))
    @APIResponse(responseCode = "200", description = "The conversion report",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ConversionReport.class)))
    @APIResponse(responseCode = "400", description = "Bad reference or option", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "Unknown image", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "Digest mismatch or invalid image", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "Concurrency limit reached (see Retry-After)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "502", description = "The registry refused or failed", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response convert(ConversionRequestBody body, @HeaderParam("Accept") String accept) {
        RequestCommands.Conversion command = commands.conversion(body);
        ImageReference source = command.source();
        ImageReference target = command.target();
        ConversionOptions options = command.options();
        ConversionSlots.Slot slot = service.claimSlot();
        if (accept != null && accept.contains(NDJSON) && !accept.contains(MediaType.APPLICATION_JSON)) {
            StreamingOutput stream = out -> {
                try (slot) {
                    streamConversion(source, target, options, out);
                }
            };
            return Response.ok(stream, NDJSON).build();
        }
        try (slot) {
            return Response.ok(service.convertInSlot(source, target, options, ConversionListener.NONE),
                    MediaType.APPLICATION_JSON).build();
        }
    }

    private void streamConversion(ImageReference source, ImageReference target, ConversionOptions options, OutputStream out) {
        EventWriter events = new EventWriter(out);
        events.write(event("started").put("source", source.toString()).put("target", target.toString()));
        try {
            ConversionReport report = service.convertInSlot(source, target, options, new ConversionListener() {
                @Override
                public void layerStarted(String image, Descriptor layer) {
                    events.write(event("layer-started").put("image", image).put("digest", layer.digest().toString())
                            .put("size", layer.size()));
                }

                @Override
                public void layerFinished(String image, Descriptor layer, LayerAction action, Descriptor result, long millis) {
                    events.write(event("layer-finished").put("image", image).put("digest", layer.digest().toString())
                            .put("size", layer.size()).put("action", action.name())
                            .put("targetDigest", result.digest().toString()).put("targetSize", result.size())
                            .put("millis", millis));
                }
            });
            ObjectNode done = event("done");
            done.set("report", json.valueToTree(report));
            events.write(done);
        } catch (RecastException e) {
            ObjectNode error = event("error");
            error.set("problem", json.valueToTree(ProblemMappers.problem(e)));
            events.write(error);
        }
    }

    private ObjectNode event(String name) {
        return json.createObjectNode().put("event", name);
    }

    /** One JSON object per line, flushed at once; layer events arrive from several threads. */
    private final class EventWriter {
        private final OutputStream out;

        EventWriter(OutputStream out) {
            this.out = out;
        }

        synchronized void write(ObjectNode event) {
            try {
                out.write(json.writeValueAsString(event).getBytes(StandardCharsets.UTF_8));
                out.write('\n');
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("the client went away", e);
            }
        }
    }
}
