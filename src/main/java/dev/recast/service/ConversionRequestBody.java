package dev.recast.service;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** {@code POST /v1/conversions}; a field not listed here is refused (400), not ignored. */
@Schema(description = "A conversion to run. Only source is required; unknown fields are refused.",
        requiredProperties = "source", additionalProperties = Schema.False.class)
public record ConversionRequestBody(
        @Schema(description = "The image to convert", examples = "127.0.0.1:5000/fixtures/hello:v2s2") String source,
        @Schema(description = "Where to write; default: the source repository, source tag + recast.conversion.target-suffix",
                examples = "127.0.0.1:5000/fixtures/hello:oci") String target,
        @Schema(description = "zstd (default), gzip or none", examples = "zstd") String compression,
        @Schema(description = "zstd 1-22 (default 3), gzip 1-9 (default 6)", examples = "3") Integer level,
        @Schema(description = "For lists/indexes: the platforms to keep, os/arch[/variant]", examples = "[\"linux/amd64\"]")
        List<String> platforms,
        @Schema(description = "Read, verify and compute everything, write nothing; the report's outcome is PLANNED")
        Boolean dryRun,
        @Schema(description = "false: no layer cache for this conversion (default: the service's, recast.cache.enabled)")
        Boolean cache,
        @Schema(description = "The layer cache's repository in the target registry (default: recast.cache.repository)",
                examples = "recast-cache") String cacheRepository,
        @Schema(description = "copy (default): the source's SBOMs and attestations are re-attached to the result; "
                + "report: listed only; skip: not looked for. Signatures are never copied, only reported",
                examples = "copy") String referrers,
        @Schema(description = "false: attach no provenance artifact to the converted image (default: one, an in-toto "
                + "SLSA provenance statement found from the converted digest; dry runs attach none)")
        Boolean provenance) {
}
