package dev.recast.lambda;

import dev.recast.service.MigrationRequestBody;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One SQS message of a fanned-out migration: convert one tag as the migration request says, and record the result
 * under the run. Read and written by Jackson, hence registered for reflection in the native Lambda.
 *
 * @param request the planner's request (never a dry run): registry, target template, tag pattern, compression
 */
@RegisterForReflection
public record MigrationMessage(String runId, String repository, String tag, MigrationRequestBody request) {
}
