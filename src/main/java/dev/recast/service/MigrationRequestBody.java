package dev.recast.service;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * {@code POST /v1/migrations} and the Lambda's migration planner: the fields of {@code recast migrate}; a field not
 * listed here is refused (400), not ignored.
 */
@Schema(description = "A registry to migrate, as `recast migrate` takes it. Only registry is required; unknown fields "
        + "are refused.", requiredProperties = "registry", additionalProperties = Schema.False.class)
public record MigrationRequestBody(
        @Schema(description = "The registry, [docker://]HOST[:PORT]", examples = "127.0.0.1:5000") String registry,
        @Schema(description = "Repository globs (* one path segment, ** any); none: every repository",
                examples = "[\"team/**\"]") List<String> repositories,
        @Schema(description = "Tags to take: a regular expression over the whole tag", examples = "v[0-9.]+") String tag,
        @Schema(description = "Per repository, only the last N tags in version order", examples = "3") Integer latest,
        @Schema(description = "The target template; default {repository}:{tag}-oci", examples = "{repository}:{tag}-oci")
        String target,
        @Schema(description = "The repositories to migrate when the registry offers no catalog (instead of reading it)",
                examples = "[\"team/app\"]") List<String> repositoryList,
        @Schema(description = "Images converted at once (default 2)", examples = "2") Integer concurrency,
        @Schema(description = "Names asked for per catalog or tag-list request (default 100)", examples = "100")
        Integer pageSize,
        @Schema(description = "zstd (default), gzip or none", examples = "zstd") String compression,
        @Schema(description = "zstd 1-22 (default 3), gzip 1-9 (default 6)", examples = "3") Integer level,
        @Schema(description = "For lists/indexes: the platforms to keep, os/arch[/variant]", examples = "[\"linux/amd64\"]")
        List<String> platforms,
        @Schema(description = "Plan only: every image PLANNED or ALREADY_CONVERTED, nothing written") Boolean dryRun) {

    /** The same request, planned only ({@code true}) or run ({@code null}: the default, a real run). */
    public MigrationRequestBody withDryRun(Boolean planOnly) {
        return new MigrationRequestBody(registry, repositories, tag, latest, target, repositoryList, concurrency, pageSize,
                compression, level, platforms, planOnly);
    }
}
