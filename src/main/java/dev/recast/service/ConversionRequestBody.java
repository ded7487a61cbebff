package dev.recast.service;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** {@code POST /v1/conversions}. */
@Schema(description = "A conversion to run. Only source is required.")
public record ConversionRequestBody(
        @Schema(description = "The image to convert", examples = "127.0.0.1:5000/fixtures/hello:v2s2") String source,
        @Schema(description = "Where to write; default: the source repository, source tag + recast.conversion.target-suffix",
                examples = "127.0.0.1:5000/fixtures/hello:oci") String target,
        @Schema(description = "zstd (default), gzip or none", examples = "zstd") String compression,
        @Schema(description = "zstd 1-22 (default 3), gzip 1-9 (default 6)", examples = "3") Integer level,
        @Schema(description = "For lists/indexes: the platforms to keep", examples = "[\"linux/amd64\"]") List<String> platforms,
        @Schema(description = "Read, verify and compute everything, write nothing") Boolean dryRun) {
}
