package dev.recast.api;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.service.ConversionService;
import dev.recast.service.VerificationRequestBody;
import dev.recast.verify.VerificationReport;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

@Path("/v1/verifications")
public class VerificationsResource {
    private final ConversionService service;

    public VerificationsResource(ConversionService service) {
        this.service = service;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Re-check a converted image against its provenance",
            description = "Finds the provenance attached to the image's digest and checks that the source still exists "
                    + "at the recorded digest, that the config is the source's, that the layers are those the provenance "
                    + "maps, and that each layer decompresses to its recorded diff_id. A failed check is an answer, not "
                    + "an error: 200 with verified false and the check that failed.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = VerificationRequestBody.class)))
    @APIResponse(responseCode = "200", description = "Every check and its outcome",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = VerificationReport.class)))
    @APIResponse(responseCode = "404", description = "The image does not exist",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public VerificationReport verify(VerificationRequestBody body) {
        if (body == null || body.target() == null || body.target().isBlank()) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "'target' is required");
        }
        return service.verify(service.reference(body.target()));
    }
}
