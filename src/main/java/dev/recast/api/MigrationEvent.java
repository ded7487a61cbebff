package dev.recast.api;

import dev.recast.migrate.ImageResult;
import dev.recast.migrate.MigrationReport;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One line of a migration's NDJSON progress stream: {@code event} says which. */
@Schema(description = "One line of a migration's NDJSON progress stream", oneOf = {MigrationEvent.Started.class,
        MigrationEvent.Image.class, MigrationEvent.Done.class, MigrationEvent.Failed.class})
public sealed interface MigrationEvent {

    /** {@code concurrency}: images converted at once, at most the conversion slots that were free (one per image). */
    @Schema(name = "MigrationStarted", requiredProperties = {"event", "registry", "dryRun", "concurrency"})
    record Started(@Schema(constValue = "started") String event, String registry, boolean dryRun, int concurrency)
            implements MigrationEvent {
        Started(String registry, boolean dryRun, int concurrency) {
            this("started", registry, dryRun, concurrency);
        }
    }

    /** One image done (converted, skipped, planned or failed), as soon as it is. */
    @Schema(name = "MigrationImage", requiredProperties = {"event", "result"})
    record Image(@Schema(constValue = "image") String event, ImageResult result) implements MigrationEvent {
        Image(ImageResult result) {
            this("image", result);
        }
    }

    @Schema(name = "MigrationDone", requiredProperties = {"event", "report"})
    record Done(@Schema(constValue = "done") String event, MigrationReport report) implements MigrationEvent {
        Done(MigrationReport report) {
            this("done", report);
        }
    }

    /** The migration as a whole failed (e.g. the catalog could not be listed); an image's failure is an Image line. */
    @Schema(name = "MigrationError", requiredProperties = {"event", "problem"})
    record Failed(@Schema(constValue = "error") String event, Problem problem) implements MigrationEvent {
        Failed(Problem problem) {
            this("error", problem);
        }
    }
}
