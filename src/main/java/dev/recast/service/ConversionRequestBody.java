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
        @Schema(description = "zstd (default), gzip, none or zstd:chunked (podman fetches only the files it lacks)",
                examples = "zstd") String compression,
        @Schema(description = "zstd 1-22 (default 3), gzip 1-9 (default 6)", examples = "3") Integer level,
        @Schema(description = "For lists/indexes: the platforms to keep, os/arch[/variant]", examples = "[\"linux/amd64\"]")
        List<String> platforms,
        @Schema(description = "Read, verify and compute everything, write nothing; the report's outcome is PLANNED")
        Boolean dryRun,
        @Schema(description = "false: no layer cache for this conversion (default: the service's, recast.cache.enabled)")
        Boolean cache,
        @Schema(description = "The layer cache's repository in the target registry (default: recast.cache.repository)",
                examples = "recast-cache") String cacheRepository,
        @Schema(description = "[\"gzip\",\"zstd\"]: write an OCI index holding, per platform, the gzip image (the source "
                + "manifest itself) first and its zstd conversion (annotated io.github.containers.compression.zstd) after",
                examples = "[\"gzip\",\"zstd\"]") List<String> variants,
        @Schema(description = "With variants: source (default, the gzip variant is the source manifest unchanged) or oci "
                + "(an OCI manifest naming the same gzip blobs and config)", examples = "source") String variantsFormat,
        @Schema(description = "Convert in place without variants, replacing the tag with an image clients without zstd "
                + "cannot pull") Boolean force,
        @Schema(description = "Write to the source tag itself (target must then be absent or equal to source); needs "
                + "variants or force") Boolean inPlace,
        @Schema(description = "copy (default): the source's SBOMs and attestations are re-attached to the result; "
                + "report: listed only; skip: not looked for. Signatures are never copied, only reported",
                examples = "copy") String referrers,
        @Schema(description = "oci (default) or v2s2: Docker V2 Schema 2 with gzip layers (the way back; "
                + "compression then defaults to gzip and may only be gzip)", examples = "oci") String format,
        @Schema(description = "false: attach no provenance artifact to the converted image (default: one, an in-toto "
                + "SLSA provenance statement found from the converted digest; dry runs attach none)")
        Boolean provenance) {
}
