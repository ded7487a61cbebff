package dev.recast.cli;

import dev.recast.convert.ConversionReport;
import dev.recast.convert.ImageReport;
import dev.recast.convert.LayerReport;
import dev.recast.convert.ReferrerReport;
import dev.recast.index.IndexReport;
import dev.recast.model.Digest;

import java.io.PrintStream;
import java.util.List;

/** The human form of a conversion report: a summary and one row per layer. */
final class ReportTable {

    private ReportTable() {
    }

    static void print(ConversionReport report, PrintStream out) {
        out.printf("%s%s → %s%n", report.dryRun() ? "[dry run] " : "", report.source(), report.target());
        out.printf("  source  %s  %s%n", short12(report.sourceDigest()), report.sourceMediaType());
        out.printf("  target  %s  %s%n", short12(report.targetDigest()), report.targetMediaType());
        out.printf("  outcome %s in %d ms%n", report.outcome(), report.millis());
        for (ImageReport image : report.images()) {
            out.printf("%n  image %s  %s → %s  config %s%n", image.platform(), short12(image.sourceDigest()),
                    short12(image.targetDigest()), short12(image.configDigest()));
            out.printf("    %-3s %-12s %-19s %12s  %-19s %12s %7s  %s%n", "#", "action", "source", "bytes",
                    "target", "bytes", "ms", "note");
            for (LayerReport layer : image.layers()) {
                out.printf("    %-3d %-12s %-19s %12d  %-19s %12d %7d  %s%n", layer.index(), layer.action(),
                        short12(layer.sourceDigest()), layer.sourceSize(), short12(layer.targetDigest()),
                        layer.targetSize(), layer.millis(), layer.note() == null ? "" : layer.note());
            }
        }
        ConversionReport.Totals totals = report.totals();
        out.printf("%n  layers %d: %d recompressed, %d reused, %d copied, %d skipped; %d → %d bytes; read %d, wrote %d "
                        + "bytes%n", totals.layers(), totals.recompressed(), totals.reused(), totals.copied(), totals.skipped(), totals.sourceLayerBytes(),
                totals.targetLayerBytes(), totals.bytesRead(), totals.bytesWritten());
        for (String note : report.notes()) {
            out.println("  note: " + note);
        }
        printReferrers(report.referrers(), out);
    }

    private static void printReferrers(List<ReferrerReport> referrers, PrintStream out) {
        if (referrers.isEmpty()) {
            return;
        }
        out.printf("%n  referrers%n    %-11s %-8s %-19s %-19s %-12s %s%n", "kind", "action", "digest", "of", "found in",
                "note");
        for (ReferrerReport referrer : referrers) {
            out.printf("    %-11s %-8s %-19s %-19s %-12s %s%n", referrer.kind(), referrer.action(),
                    short12(referrer.digest()), short12(referrer.subject()), referrer.foundIn(), referrer.note());
        }
    }

    static void print(IndexReport report, PrintStream out) {
        out.printf("%sindex %s%n", report.dryRun() ? "[dry run] " : "", report.target());
        out.printf("  digest  %s  %s  in %d ms%n", short12(report.digest()), report.mediaType(), report.millis());
        out.printf("    %-16s %-9s %-19s %s%n", "platform", "action", "digest", "source");
        for (IndexReport.Entry entry : report.entries()) {
            out.printf("    %-16s %-9s %-19s %s%n", entry.platform(), entry.action(), short12(entry.digest()),
                    entry.source() == null ? "(kept)" : entry.source());
        }
        if (report.totals() != null) {
            ConversionReport.Totals totals = report.totals();
            out.printf("  layers %d: %d recompressed, %d reused, %d copied, %d skipped; wrote %d bytes%n",
                    totals.layers(), totals.recompressed(), totals.reused(), totals.copied(), totals.skipped(), totals.bytesWritten());
        }
        for (String note : report.notes()) {
            out.println("  note: " + note);
        }
    }

    static String short12(Digest digest) {
        return digest == null ? "-" : digest.algorithm() + ":" + digest.hex().substring(0, 12);
    }
}
