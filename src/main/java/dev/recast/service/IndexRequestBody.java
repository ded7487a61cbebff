package dev.recast.service;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;
import java.util.Map;

/** {@code POST /v1/indexes}. */
@Schema(description = "A multi-arch OCI index to build from single-platform images and lists.")
public record IndexRequestBody(
        @Schema(description = "The index tag to write", examples = "127.0.0.1:5000/fixtures/app:multi") String target,
        @Schema(description = "Images or lists, in the order their entries should appear") List<String> sources,
        @Schema(description = "Convert children to OCI + zstd on the way (else reference them unchanged)") Boolean convert,
        @Schema(description = "Platform overrides: source reference → os/arch[/variant]") Map<String, String> platforms,
        @Schema(description = "Index annotations") Map<String, String> annotations,
        @Schema(description = "On duplicate platforms the later source wins (else 409)") Boolean replace,
        @Schema(description = "Add to / replace in the index the target already holds") Boolean append,
        String compression, Integer level, Boolean dryRun) {
}
