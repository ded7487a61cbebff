package dev.recast.index;

import dev.recast.convert.ConversionReport;
import dev.recast.convert.ImageReport;
import dev.recast.model.Digest;
import dev.recast.model.MediaType;
import dev.recast.model.Platform;

import java.util.List;

/** The result of building an index: its digest and one line per entry. */
public record IndexReport(String target, Digest digest, MediaType mediaType, boolean dryRun, List<Entry> entries,
                          List<ImageReport> images, ConversionReport.Totals totals, long millis, List<String> notes) {

    public enum Action { ADDED, REPLACED, KEPT }

    /**
     * @param source the reference the entry came from (null for entries kept from an existing index)
     */
    public record Entry(Platform platform, MediaType mediaType, Digest digest, long size, String source,
                        Digest sourceDigest, Action action) {
    }
}
