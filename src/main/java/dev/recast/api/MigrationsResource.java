package dev.recast.api;

import dev.recast.RecastException;
import dev.recast.migrate.MigrationReport;
import dev.recast.migrate.MigrationRequest;
import dev.recast.migrate.MigrationService;
import dev.recast.service.ConversionService;
import dev.recast.service.ConversionSlots;
import dev.recast.service.MigrationRequestBody;
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


/** {@code POST /v1/migrations}: {@code recast migrate} as a request; one conversion slot per image converted at once. */
@Path("/v1/migrations")
public class MigrationsResource {
    private final MigrationService migrations;
    private final ConversionService conversions;
    private final ApiJson json;

    public MigrationsResource(MigrationService migrations, ConversionService conversions, ApiJson json) {
        this.migrations = migrations;
        this.conversions = conversions;
        this.json = json;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({MediaType.APPLICATION_JSON, ConversionsResource.NDJSON})
    @Operation(summary = "Migrate a registry: convert the images of its repositories, report per repository",
            description = "Lists the catalog (or the repositoryList) and each repository's tags, every page; skips "
                    + "Recast's own outputs and images whose target already holds their conversion. Answers the report "
                    + "when done; with Accept: application/x-ndjson streams started, one image line per image, then "
                    + "done (the report) or error.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = MigrationRequestBody.class), examples = @ExampleObject(name = "migrate",
            value = "{\"registry\":\"127.0.0.1:5000\",\"repositories\":[\"team/**\"],\"tag\":\"v.*\",\"concurrency\":4}")))
    @APIResponse(responseCode = "200", description = "The migration report, or its progress as NDJSON", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MigrationReport.class)),
            @Content(mediaType = ConversionsResource.NDJSON, schema = @Schema(implementation = MigrationEvent.class))})
    @APIResponse(responseCode = "400", description = "A bad request (a field unknown or invalid)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "A registry the service may not contact",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response migrate(MigrationRequestBody body, @HeaderParam("Accept") String accept) {
        // one conversion slot per image converted at once: recast.api.concurrency bounds migrations too
        MigrationRequest asked = migrations.request(body);
        ConversionSlots.Claim claim = conversions.claimSlots(asked.concurrency());
        MigrationRequest request = asked.withConcurrency(claim.count());
        ConversionSlots.Slot slot = claim.slot();
        if (accept != null && accept.contains(ConversionsResource.NDJSON) && !accept.contains(MediaType.APPLICATION_JSON)) {
            StreamingOutput stream = out -> {
                try (slot) {
                    NdjsonLines lines = new NdjsonLines(json.mapper(), out);
                    lines.write(new MigrationEvent.Started(request.registry(), request.options().dryRun(),
                            request.concurrency()));
                    try {
                        lines.write(new MigrationEvent.Done(migrations.runInSlot(request,
                                result -> lines.write(new MigrationEvent.Image(result)))));
                    } catch (RecastException e) {
                        lines.write(new MigrationEvent.Failed(ProblemMappers.problem(e)));
                    }
                }
            };
            return Response.ok(stream, ConversionsResource.NDJSON).build();
        }
        try (slot) {
            return Response.ok(migrations.runInSlot(request, result -> {
            }), MediaType.APPLICATION_JSON).build();
        }
    }
}
