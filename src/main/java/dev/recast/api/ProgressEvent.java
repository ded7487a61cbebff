package dev.recast.api;

import dev.recast.convert.ConversionReport;
import dev.recast.convert.LayerAction;
import dev.recast.model.Digest;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One line of a conversion's NDJSON progress stream: {@code event} says which. */
@Schema(description = "One line of the NDJSON progress stream", oneOf = {ProgressEvent.Started.class,
        ProgressEvent.LayerStarted.class, ProgressEvent.LayerFinished.class, ProgressEvent.Done.class,
        ProgressEvent.Failed.class})
public sealed interface ProgressEvent {

    @Schema(name = "ProgressStarted", requiredProperties = {"event", "source", "target"})
    record Started(@Schema(constValue = "started") String event, String source, String target) implements ProgressEvent {
        Started(String source, String target) {
            this("started", source, target);
        }
    }

    @Schema(name = "ProgressLayerStarted", requiredProperties = {"event", "image", "digest", "size"})
    record LayerStarted(@Schema(constValue = "layer-started") String event, String image, Digest digest, long size)
            implements ProgressEvent {
        LayerStarted(String image, Digest digest, long size) {
            this("layer-started", image, digest, size);
        }
    }

    @Schema(name = "ProgressLayerFinished", requiredProperties = {"event", "image", "digest", "size", "action",
            "targetDigest", "targetSize", "millis"})
    record LayerFinished(@Schema(constValue = "layer-finished") String event, String image, Digest digest, long size,
                         LayerAction action, Digest targetDigest, long targetSize, long millis) implements ProgressEvent {
        LayerFinished(String image, Digest digest, long size, LayerAction action, Digest targetDigest, long targetSize,
                      long millis) {
            this("layer-finished", image, digest, size, action, targetDigest, targetSize, millis);
        }
    }

    @Schema(name = "ProgressDone", requiredProperties = {"event", "report"})
    record Done(@Schema(constValue = "done") String event, ConversionReport report) implements ProgressEvent {
        Done(ConversionReport report) {
            this("done", report);
        }
    }

    @Schema(name = "ProgressError", requiredProperties = {"event", "problem"})
    record Failed(@Schema(constValue = "error") String event, Problem problem) implements ProgressEvent {
        Failed(Problem problem) {
            this("error", problem);
        }
    }
}
