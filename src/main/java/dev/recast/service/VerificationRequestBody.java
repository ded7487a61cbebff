package dev.recast.service;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** {@code POST /v1/verifications}; a field not listed here is refused (400), not ignored. */
@Schema(description = "A converted image to re-check against the provenance Recast attached to it. Unknown fields "
        + "are refused.", requiredProperties = "target", additionalProperties = Schema.False.class)
public record VerificationRequestBody(
        @Schema(description = "The converted image: a tag or digest", examples = "127.0.0.1:5000/fixtures/hello:v2s2-oci")
        String target) {
}
