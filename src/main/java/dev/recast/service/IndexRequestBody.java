package dev.recast.service;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;
import java.util.Map;

/** {@code POST /v1/indexes}; a field not listed here is refused (400), not ignored. */
@Schema(description = "A multi-arch OCI index to build from single-platform images and lists; unknown fields are refused.",
        requiredProperties = {"target", "sources"}, additionalProperties = Schema.False.class)
public record IndexRequestBody(
        @Schema(description = "The index tag to write", examples = "127.0.0.1:5000/fixtures/app:multi") String target,
        @Schema(description = "Images or lists, in the order their entries should appear") List<String> sources,
        @Schema(description = "Convert children to OCI + zstd on the way (else reference them unchanged)") Boolean convert,
        @Schema(description = "Platform overrides: source reference → os/arch[/variant]") Map<String, String> platforms,
        @Schema(description = "Index annotations") Map<String, String> annotations,
        @Schema(description = "On duplicate platforms the later source wins (else 409)") Boolean replace,
        @Schema(description = "Add to / replace in the index the target already holds") Boolean append,
        @Schema(description = "With convert: zstd (default), gzip, none or zstd:chunked") String compression,
        @Schema(description = "With convert: zstd 1-22 (default 3), gzip 1-9 (default 6)") Integer level,
        @Schema(description = "Read, verify and compute everything, write nothing") Boolean dryRun) {
}
