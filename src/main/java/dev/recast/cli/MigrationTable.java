package dev.recast.cli;

import dev.recast.migrate.ImageResult;
import dev.recast.migrate.MigrationReport;
import dev.recast.migrate.MigrationTotals;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The human (a table) and spreadsheet (CSV) forms of a migration report: one row per repository, then the total. */
final class MigrationTable {
    private static final String ROW = "%-32s %6s %9s %7s %6s %8s %6s %6s %14s %14s %8s%n";
    private static final String TOTAL = "(total)";

    private MigrationTable() {
    }

    static void print(MigrationReport report, PrintStream out) {
        out.printf("%smigration of %s in %d ms%n", report.dryRun() ? "[dry run] " : "", report.registry(), report.millis());
        if (report.dryRun()) {
            for (ImageResult image : report.images()) {
                out.printf("  %-17s %s:%s → %s%n", image.status() == ImageResult.Status.PLANNED ? "would convert"
                        : image.status().name().toLowerCase(Locale.ROOT), image.repository(), image.tag(), image.target());
            }
        }
        out.printf(ROW, "REPOSITORY", "IMAGES", report.dryRun() ? "PLANNED" : "CONVERTED", "SKIPPED", "FAILED",
                "RECOMPR.", "REUSED", "COPIED", "BYTES BEFORE", "BYTES AFTER", "SAVINGS");
        report.repositories().forEach(r -> row(r.repository(), r.totals(), report.dryRun(), out));
        row(TOTAL, report.totals(), report.dryRun(), out);
        if (!report.excluded().isEmpty()) {
            out.printf("not sources: %d tag(s) Recast wrote (source-digest annotation)%n", report.excluded().size());
        }
        for (ImageResult failed : report.failures()) {
            out.printf("failed %s:%s → %s: %s: %s%n", failed.repository(), failed.tag(),
                    failed.target() == null ? "-" : failed.target(), failed.errorKind(), failed.note());
        }
        report.images().stream().filter(i -> i.status() != ImageResult.Status.FAILED && i.note() != null)
                .forEach(i -> out.printf("note %s:%s: %s%n", i.repository(), i.tag(), i.note()));
    }

    private static void row(String name, MigrationTotals t, boolean dryRun, PrintStream out) {
        out.printf(ROW, name, t.images(), dryRun ? t.planned() : t.converted(), t.skipped(), t.failed(),
                t.recompressed(), t.reused(), t.copied(), t.bytesBefore(), t.bytesAfter(), savings(t));
    }

    static void printCsv(MigrationReport report, PrintStream out) {
        out.println("repository,images,converted,skipped,planned,failed,layers_recompressed,layers_reused,"
                + "layers_copied,bytes_before,bytes_after,savings_percent,failures");
        report.repositories().forEach(r -> csvRow(r.repository(), r.totals(), failures(report.failures().stream()
                .filter(f -> f.repository().equals(r.repository())).toList()), out));
        csvRow(TOTAL, report.totals(), failures(report.failures()), out);
    }

    private static void csvRow(String name, MigrationTotals t, String failures, PrintStream out) {
        out.println(String.join(",", csv(name), String.valueOf(t.images()), String.valueOf(t.converted()),
                String.valueOf(t.skipped()), String.valueOf(t.planned()), String.valueOf(t.failed()),
                String.valueOf(t.recompressed()), String.valueOf(t.reused()), String.valueOf(t.copied()),
                String.valueOf(t.bytesBefore()), String.valueOf(t.bytesAfter()),
                String.format(Locale.ROOT, "%.1f", t.savingsPercent()), csv(failures)));
    }

    private static String failures(List<ImageResult> failed) {
        return failed.stream().map(f -> f.repository() + ":" + f.tag() + " " + f.errorKind() + ": " + f.note())
                .collect(Collectors.joining(" | "));
    }

    private static String savings(MigrationTotals t) {
        return t.bytesBefore() == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", t.savingsPercent());
    }

    /** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
    static String csv(String field) {
        if (field.contains(",") || field.contains("\"") || field.contains("\n") || field.contains("\r")) {
            return "\"" + field.replace("\"", "\"\"") + "\"";
        }
        return field;
    }
}
