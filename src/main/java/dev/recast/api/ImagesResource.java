package dev.recast.api;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.inspect.ImageInspection;
import dev.recast.model.Platform;
import dev.recast.service.ConversionService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

@Path("/v1/images")
public class ImagesResource {
    private final ConversionService service;

    public ImagesResource(ConversionService service) {
        this.service = service;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Inspect an image: media type, digest, per platform its compression and whether it is OCI + zstd",
            description = "With platform, inspects the one child of an index for that platform (the first entry that "
                    + "matches; a platform without variant matches any variant), named by its digest; 404 when the "
                    + "index has none. A single image is answered as it is when its config's platform matches, else 404. "
                    + "referrers lists, by kind (SIGNATURE, ATTESTATION, SBOM, OTHER), what is attached to the image and "
                    + "to each of its platform images: OCI referrers (API or fallback tag index) and cosign tags.")
    public ImageInspection inspect(
            @Parameter(description = "An image reference", example = "127.0.0.1:5000/fixtures/hello:v2s2", required = true)
            @QueryParam("ref") String ref,
            @Parameter(description = "os/arch[/variant]: inspect only this platform's image", example = "linux/arm64",
                    schema = @Schema(type = SchemaType.STRING, pattern = "^[^/]+/[^/]+(/[^/]+)?$"))
            @QueryParam("platform") String platform) {
        if (ref == null || ref.isBlank()) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "query parameter 'ref' is required");
        }
        return service.inspectWithReferrers(service.reference(ref), platform == null ? null : Platform.parse(platform));
    }
}
