package dev.recast.cli;

import dev.recast.ErrorKind;
import dev.recast.migrate.ImageResult;
import dev.recast.migrate.MigrationReport;
import dev.recast.migrate.MigrationReport.RepositoryTotals;
import dev.recast.migrate.MigrationTotals;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HTML report parses as XML, charts the largest savings in order, and escapes what registries named. */
class MigrationPageTest {

    private static MigrationTotals totals(long before, long after) {
        double savings = before == 0 ? 0 : Math.round(1000.0 * (before - after) / before) / 10.0;
        return new MigrationTotals(1, 1, 0, 0, 0, 1, 0, 0, before, after, savings);
    }

    @Test
    void chartsTheTenLargestSavingsLargestFirst() throws Exception {
        List<RepositoryTotals> repositories = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            repositories.add(new RepositoryTotals("team/app-" + i, totals(1000 + i * 100L, 900)));
        }
        repositories.add(new RepositoryTotals("team/grew", totals(500, 600)));
        MigrationReport report = new MigrationReport("registry.example:5000", false, repositories, totals(99_000, 50_000),
                List.of(), List.of(), 1234);

        Document page = parse(MigrationPage.render(report));
        NodeList bars = page.getElementsByTagNameNS("http://www.w3.org/2000/svg", "rect");
        assertEquals(MigrationPage.CHART_BARS, bars.getLength());
        List<Integer> widths = new ArrayList<>();
        for (int i = 0; i < bars.getLength(); i++) {
            widths.add(Integer.parseInt(((Element) bars.item(i)).getAttribute("width")));
        }
        assertEquals(widths.stream().sorted((a, b) -> b - a).toList(), widths, "bars largest first");
        assertTrue(bars.item(0).getTextContent().startsWith("team/app-13: 1400 bytes saved"), bars.item(0).getTextContent());
        // the table lists every repository, the one that grew too, and the total
        NodeList rows = page.getElementsByTagNameNS("http://www.w3.org/1999/xhtml", "tr");
        assertEquals(1 + 15 + 1, rows.getLength());
        assertFalse(bars.item(bars.getLength() - 1).getTextContent().contains("grew"));
    }

    @Test
    void escapesNamesAndCausesAndSaysWhenNothingWasSaved() throws Exception {
        String hostile = "evil/<script>alert('x')</script>&";
        ImageResult failed = new ImageResult(hostile, "v1", ImageResult.Status.FAILED, null, null, null, 0, 0, 0, 0, 0,
                0, ErrorKind.UPSTREAM, "registry said <b>no</b>");
        MigrationReport report = new MigrationReport("r:5000", true,
                List.of(new RepositoryTotals(hostile, totals(0, 0))), totals(0, 0), List.of(failed), List.of(), 5);
        String html = MigrationPage.render(report);
        Document page = parse(html);
        assertFalse(html.contains("<script>") || html.contains("<b>"), html);
        assertTrue(page.getDocumentElement().getTextContent().contains("registry said <b>no</b>"));
        assertEquals(0, page.getElementsByTagNameNS("http://www.w3.org/2000/svg", "rect").getLength());
        assertTrue(html.contains("No repository saved bytes"), html);
    }

    private static Document parse(String html) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        // the page is XHTML: its doctype must not make the parser fetch anything
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return factory.newDocumentBuilder().parse(new InputSource(new StringReader(html)));
    }
}
