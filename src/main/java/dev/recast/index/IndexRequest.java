package dev.recast.index;

import dev.recast.convert.ConversionOptions;
import dev.recast.registry.reference.ImageReference;

import java.util.List;
import java.util.Map;

/**
 * What index to build.
 *
 * @param convert     convert children to OCI with {@code options} (else they are referenced unchanged)
 * @param replace     when two sources give the same platform, the later wins (else that is an error)
 * @param append      start from the index the target tag holds and add or replace platforms in it
 * @param annotations index annotations (e.g. {@code org.opencontainers.image.source})
 */
public record IndexRequest(ImageReference target, List<IndexSource> sources, boolean convert,
                           ConversionOptions options, boolean replace, boolean append,
                           Map<String, String> annotations) {

    public IndexRequest {
        sources = List.copyOf(sources);
        options = options == null ? ConversionOptions.DEFAULT : options;
        annotations = annotations == null ? Map.of() : Map.copyOf(new java.util.TreeMap<>(annotations));
    }
}
