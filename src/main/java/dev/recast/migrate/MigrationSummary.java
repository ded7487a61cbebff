package dev.recast.migrate;

/**
 * A fanned-out migration as its workers recorded it so far.
 *
 * @param recorded images with a result: converted, skipped or failed (in this run, or already at planning)
 * @param pending  planned images without a result yet (queued, or being converted)
 * @param complete every planned image has a result
 */
public record MigrationSummary(String runId, int recorded, int pending, boolean complete, MigrationReport report) {
}
