package dev.recast.cli;

import dev.recast.migrate.ImageResult;
import dev.recast.migrate.MigrationReport;
import dev.recast.migrate.MigrationReport.RepositoryTotals;
import dev.recast.migrate.MigrationTotals;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A migration report as one self-contained XHTML page (no scripts, no external files, so it can be mailed or archived):
 * a bar chart, drawn as inline SVG, of the repositories that saved the most bytes, then the table of every repository
 * and the failures with their causes.
 */
final class MigrationPage {
    static final int CHART_BARS = 10;
    private static final int BAR_HEIGHT = 22;
    private static final int LABEL_WIDTH = 260;
    private static final int BAR_WIDTH = 420;

    private MigrationPage() {
    }

    static String render(MigrationReport report) {
        StringBuilder page = new StringBuilder(8192);
        String title = (report.dryRun() ? "Planned migration of " : "Migration of ") + report.registry();
        page.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\"><head><meta charset=\"utf-8\"/>")
                .append("<title>").append(escape(title)).append("</title><style>")
                .append("body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}")
                .append("td,th{padding:2px 8px;border-bottom:1px solid #ddd}td.n{text-align:right}")
                .append("</style></head><body>\n<h1>").append(escape(title)).append("</h1>\n");
        MigrationTotals total = report.totals();
        page.append("<p>").append(total.images()).append(" image(s), ").append(total.converted()).append(" converted, ")
                .append(total.skipped()).append(" skipped, ").append(total.failed()).append(" failed; layer bytes ")
                .append(total.bytesBefore()).append(" → ").append(total.bytesAfter()).append(" (")
                .append(percent(total.savingsPercent())).append(" saved) in ").append(report.millis()).append(" ms.</p>\n");
        chart(report.repositories(), page);
        table(report, page);
        failures(report.failures(), page);
        return page.append("</body></html>\n").toString();
    }

    /** The repositories that saved the most bytes, longest bar = most saved; none when nothing was saved. */
    private static void chart(List<RepositoryTotals> repositories, StringBuilder page) {
        List<RepositoryTotals> largest = repositories.stream().filter(r -> saved(r.totals()) > 0)
                .sorted(Comparator.comparingLong((RepositoryTotals r) -> saved(r.totals())).reversed()
                        .thenComparing(RepositoryTotals::repository))
                .limit(CHART_BARS).toList();
        page.append("<h2>Largest savings</h2>\n");
        if (largest.isEmpty()) {
            page.append("<p>No repository saved bytes in this run.</p>\n");
            return;
        }
        long most = saved(largest.getFirst().totals());
        int height = largest.size() * (BAR_HEIGHT + 6) + 6;
        page.append("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"").append(LABEL_WIDTH + BAR_WIDTH + 200)
                .append("\" height=\"").append(height).append("\" aria-label=\"bytes saved per repository\">\n");
        for (int i = 0; i < largest.size(); i++) {
            RepositoryTotals repository = largest.get(i);
            long saved = saved(repository.totals());
            int y = 6 + i * (BAR_HEIGHT + 6);
            int width = (int) Math.max(1, Math.round((double) BAR_WIDTH * saved / most));
            page.append("<text x=\"").append(LABEL_WIDTH - 8).append("\" y=\"").append(y + BAR_HEIGHT - 6)
                    .append("\" text-anchor=\"end\" font-size=\"13\">").append(escape(repository.repository())).append("</text>")
                    .append("<rect class=\"bar\" x=\"").append(LABEL_WIDTH).append("\" y=\"").append(y).append("\" width=\"")
                    .append(width).append("\" height=\"").append(BAR_HEIGHT).append("\" fill=\"#2a7ab0\"><title>")
                    .append(escape(repository.repository())).append(": ").append(saved).append(" bytes saved</title></rect>")
                    .append("<text x=\"").append(LABEL_WIDTH + width + 6).append("\" y=\"").append(y + BAR_HEIGHT - 6)
                    .append("\" font-size=\"13\">").append(mebibytes(saved)).append(" (")
                    .append(percent(repository.totals().savingsPercent())).append(")</text>\n");
        }
        page.append("</svg>\n");
    }

    private static void table(MigrationReport report, StringBuilder page) {
        page.append("<h2>Repositories</h2>\n<table><thead><tr><th>Repository</th><th>Images</th><th>")
                .append(report.dryRun() ? "Planned" : "Converted").append("</th><th>Skipped</th><th>Failed</th>")
                .append("<th>Layers recompressed</th><th>Reused</th><th>Copied</th><th>Bytes before</th>")
                .append("<th>Bytes after</th><th>Savings</th></tr></thead><tbody>\n");
        report.repositories().forEach(r -> row(r.repository(), r.totals(), report.dryRun(), page));
        row("(total)", report.totals(), report.dryRun(), page);
        page.append("</tbody></table>\n");
    }

    private static void row(String name, MigrationTotals t, boolean dryRun, StringBuilder page) {
        page.append("<tr><td>").append(escape(name)).append("</td>");
        for (long cell : new long[] {t.images(), dryRun ? t.planned() : t.converted(), t.skipped(), t.failed(),
                t.recompressed(), t.reused(), t.copied(), t.bytesBefore(), t.bytesAfter()}) {
            page.append("<td class=\"n\">").append(cell).append("</td>");
        }
        page.append("<td class=\"n\">").append(t.bytesBefore() == 0 ? "-" : percent(t.savingsPercent()))
                .append("</td></tr>\n");
    }

    private static void failures(List<ImageResult> failed, StringBuilder page) {
        if (failed.isEmpty()) {
            return;
        }
        page.append("<h2>Failures</h2>\n<ul>\n");
        for (ImageResult image : failed) {
            page.append("<li>").append(escape(image.repository() + ":" + image.tag() + " → "
                    + (image.target() == null ? "-" : image.target()) + ": " + image.errorKind() + ": " + image.note()))
                    .append("</li>\n");
        }
        page.append("</ul>\n");
    }

    private static long saved(MigrationTotals totals) {
        return totals.bytesBefore() - totals.bytesAfter();
    }

    private static String mebibytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    private static String percent(double value) {
        return String.format(Locale.ROOT, "%.1f%%", value);
    }

    /** Text for XHTML content and attribute values: registry answers and error causes are not to be trusted. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c < 0x20 && c != '\n' && c != '\t' ? ' ' : c);
            }
        }
        return out.toString();
    }
}
