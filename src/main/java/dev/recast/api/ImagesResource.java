package dev.recast.api;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.inspect.ImageInspection;
import dev.recast.service.ConversionService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

@Path("/v1/images")
public class ImagesResource {
    private final ConversionService service;

    public ImagesResource(ConversionService service) {
        this.service = service;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Inspect an image: media type, digest, per platform its compression and whether it is OCI + zstd")
    public ImageInspection inspect(@Parameter(description = "An image reference", example = "127.0.0.1:5000/fixtures/hello:v2s2")
                                   @QueryParam("ref") String ref) {
        if (ref == null || ref.isBlank()) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "query parameter 'ref' is required");
        }
        return service.inspect(service.reference(ref));
    }
}
