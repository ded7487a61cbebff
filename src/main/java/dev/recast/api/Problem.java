package dev.recast.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An RFC 9457 problem detail, with the image and layer a failure concerns.
 *
 * @param type a stable URN per kind of problem, e.g. {@code urn:recast:problem:not-found}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "An RFC 9457 problem detail", requiredProperties = {"type", "title", "status", "detail"})
public record Problem(@Schema(examples = "urn:recast:problem:not-found") String type, String title, int status,
                      String detail, @Schema(description = "The image concerned") String image,
                      @Schema(description = "The layer concerned (its digest)") String layer) {
    public static final String MEDIA_TYPE = "application/problem+json";
}
