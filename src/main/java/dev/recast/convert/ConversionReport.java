package dev.recast.convert;

import dev.recast.model.Digest;
import dev.recast.model.MediaType;

import java.util.List;

/** The result of one conversion, for people (CLI table) and programs (JSON). */
public record ConversionReport(String source, String target, Outcome outcome, boolean dryRun,
                               MediaType sourceMediaType, Digest sourceDigest,
                               MediaType targetMediaType, Digest targetDigest,
                               List<ImageReport> images, Totals totals, long millis, List<String> notes,
                               List<ReferrerReport> referrers) {

    public ConversionReport {
        referrers = referrers == null ? List.of() : List.copyOf(referrers);
    }

    /** A report of a conversion that looked for no referrers. */
    public ConversionReport(String source, String target, Outcome outcome, boolean dryRun, MediaType sourceMediaType,
                            Digest sourceDigest, MediaType targetMediaType, Digest targetDigest, List<ImageReport> images,
                            Totals totals, long millis, List<String> notes) {
        this(source, target, outcome, dryRun, sourceMediaType, sourceDigest, targetMediaType, targetDigest, images,
                totals, millis, notes, List.of());
    }

    /** This report with one more note at the end (what was done after the conversion, e.g. provenance). */
    public ConversionReport withNote(String note) {
        List<String> more = new java.util.ArrayList<>(notes);
        more.add(note);
        return new ConversionReport(source, target, outcome, dryRun, sourceMediaType, sourceDigest, targetMediaType,
                targetDigest, images, totals, millis, List.copyOf(more), referrers);
    }

    public enum Outcome {
        /** A new image was written. */
        CONVERTED,
        /** A dry run: a new image would be written; nothing was. */
        PLANNED,
        /** The source already is in the target form; its manifest is reused as it is. */
        UNCHANGED,
        /** The target already holds the result of this same conversion; nothing was read or written. */
        ALREADY_CONVERTED
    }

    /**
     * @param bytesRead    blob bytes read from the source
     * @param bytesWritten blob and manifest bytes written to the target (0 in a dry run)
     */
    public record Totals(int layers, int recompressed, int reused, int copied, int skipped, long sourceLayerBytes,
                         long targetLayerBytes, long bytesRead, long bytesWritten) {

        /** These totals and another run's together; null stands for nothing yet. */
        public Totals plus(Totals other) {
            if (other == null) {
                return this;
            }
            return new Totals(layers + other.layers, recompressed + other.recompressed,
                    reused + other.reused, copied + other.copied,
                    skipped + other.skipped, sourceLayerBytes + other.sourceLayerBytes,
                    targetLayerBytes + other.targetLayerBytes, bytesRead + other.bytesRead, bytesWritten + other.bytesWritten);
        }
    }
}
