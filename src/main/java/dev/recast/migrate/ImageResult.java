package dev.recast.migrate;

import dev.recast.ErrorKind;
import dev.recast.convert.ConversionReport;
import dev.recast.model.Digest;

/**
 * What a migration did with one tag.
 *
 * @param sourceDigest the digest read when the tag was taken: the one converted, even when the tag moved since
 * @param reused       layers not recompressed: already in the target, or mounted from the layer cache
 * @param bytesBefore  the source's layer bytes (as its manifests declare them when converted by an earlier run)
 * @param bytesAfter   the target's layer bytes (likewise)
 * @param errorKind    why it failed, or null
 * @param note         what else to know (the tag moved during the run; the failure's cause), or null
 */
public record ImageResult(String repository, String tag, Status status, Digest sourceDigest, String target,
                          Digest targetDigest, int recompressed, int reused, int copied, long bytesBefore,
                          long bytesAfter, long millis, ErrorKind errorKind, String note) {

    public enum Status {
        /** Converted and written to the target tag in this run. */
        CONVERTED,
        /** The target tag already holds the conversion of this digest: nothing was read or written. */
        ALREADY_CONVERTED,
        /** The source already has the target form: the target tag names the same manifest. */
        UNCHANGED,
        /** A dry run: it would be converted. */
        PLANNED,
        /** The conversion failed; see errorKind and note. */
        FAILED,
        /** Not a source: the manifest is one Recast wrote (it carries the source-digest annotation). */
        EXCLUDED
    }

    static ImageResult of(String repository, String tag, ConversionReport report, String note) {
        Status status = switch (report.outcome()) {
            case CONVERTED -> Status.CONVERTED;
            case PLANNED -> Status.PLANNED;
            case UNCHANGED -> Status.UNCHANGED;
            case ALREADY_CONVERTED -> Status.ALREADY_CONVERTED;
        };
        ConversionReport.Totals totals = report.totals();
        return new ImageResult(repository, tag, status, report.sourceDigest(), report.target(), report.targetDigest(),
                totals.recompressed(), totals.skipped() + totals.reused(), totals.copied(), totals.sourceLayerBytes(),
                totals.targetLayerBytes(), report.millis(), null, note);
    }

    /** The same result, with the layer bytes the manifests of source and target declare. */
    ImageResult withBytes(long before, long after) {
        return new ImageResult(repository, tag, status, sourceDigest, target, targetDigest, recompressed, reused, copied,
                before, after, millis, errorKind, note);
    }

    static ImageResult without(String repository, String tag, Status status, Digest sourceDigest, String target,
                               ErrorKind errorKind, String note) {
        return new ImageResult(repository, tag, status, sourceDigest, target, null, 0, 0, 0, 0, 0, 0, errorKind, note);
    }
}
