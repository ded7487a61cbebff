package dev.recast.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recast.RecastException;
import dev.recast.convert.ConversionListener;
import dev.recast.convert.LayerAction;
import dev.recast.model.Descriptor;
import dev.recast.service.ConversionService;
import dev.recast.service.RequestCommands;

import java.io.OutputStream;

/**
 * A conversion reported as NDJSON while it runs: one {@link ProgressEvent} per line, flushed at once; a failure is
 * the last line, since the status (200) went out with the first.
 */
final class ProgressStream implements ConversionListener {
    private final NdjsonLines lines;

    ProgressStream(ObjectMapper json, OutputStream out) {
        this.lines = new NdjsonLines(json, out);
    }

    void run(ConversionService service, RequestCommands.Conversion command) {
        write(new ProgressEvent.Started(command.source().toString(), command.target().toString()));
        try {
            write(new ProgressEvent.Done(service.convertInSlot(command.source(), command.target(), command.options(), this)));
        } catch (RecastException e) {
            write(new ProgressEvent.Failed(ProblemMappers.problem(e)));
        }
    }

    @Override
    public void layerStarted(String image, Descriptor layer) {
        write(new ProgressEvent.LayerStarted(image, layer.digest(), layer.size()));
    }

    @Override
    public void layerFinished(String image, Descriptor layer, LayerAction action, Descriptor result, long millis) {
        write(new ProgressEvent.LayerFinished(image, layer.digest(), layer.size(), action, result.digest(), result.size(),
                millis));
    }

    private void write(ProgressEvent event) {
        lines.write(event);
    }
}
