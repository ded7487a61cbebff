package dev.recast.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --progress} through the real command on the bundled sample layout (no registry: fast tier). */
class ProgressOptionTest {
    private static final String SAMPLE = "oci:" + Path.of("samples/hello").toAbsolutePath() + ":v2s2";

    @TempDir
    Path tmp;

    private record Run(int code, String out, String err) {
        List<String> errLines(String prefix) {
            return err.lines().filter(l -> l.startsWith(prefix)).toList();
        }
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = RecastMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void plainProgressPrintsOneStartAndOneFinishLinePerLayerOnStderrOnly() {
        Run run = run("convert", SAMPLE, "oci:" + tmp.resolve("out") + ":oci", "--progress=plain");
        assertEquals(0, run.code(), run.err());
        List<String> started = run.errLines("started   sha256:");
        List<String> finished = run.errLines("finished  sha256:");
        assertEquals(3, started.size(), run.err());
        assertEquals(3, finished.size(), run.err());
        assertEquals(6, run.err().lines().count(), "nothing but start and finish lines for a small image: " + run.err());
        assertTrue(finished.stream().allMatch(l -> l.contains("RECOMPRESSED") && l.contains(" → ")), run.err());
        // each layer that started also finished
        assertEquals(started.stream().map(l -> l.split("\\s+")[1]).sorted().toList(),
                finished.stream().map(l -> l.split("\\s+")[1]).sorted().toList());

        Run quiet = run("convert", SAMPLE, "oci:" + tmp.resolve("quiet") + ":oci", "--progress", "none");
        assertEquals(0, quiet.code(), quiet.err());
        assertEquals(quiet.out().lines().count(), run.out().lines().count(), "the report on stdout is the same");
        assertTrue(run.out().lines().noneMatch(l -> l.startsWith("started") || l.startsWith("finished")), run.out());
    }

    @Test
    void noneAndJsonPrintNothingOnStderr() {
        Run none = run("convert", SAMPLE, "oci:" + tmp.resolve("none") + ":oci", "--progress=none");
        assertEquals(0, none.code(), none.err());
        assertEquals("", none.err());
        assertTrue(none.out().contains("RECOMPRESSED"), none.out());

        Run json = run("convert", SAMPLE, "oci:" + tmp.resolve("json") + ":oci", "--json", "--progress=plain");
        assertEquals(0, json.code(), json.err());
        assertEquals("", json.err());
        assertTrue(json.out().startsWith("{"), json.out());
    }

    @Test
    void indexShowsTheLayersItConverts() {
        Run run = run("index", "oci:" + tmp.resolve("index") + ":multi", SAMPLE, "--convert", "--progress=plain");
        assertEquals(0, run.code(), run.err());
        assertEquals(3, run.errLines("started   sha256:").size(), run.err());
        assertEquals(3, run.errLines("finished  sha256:").size(), run.err());
        assertTrue(run.out().contains("index "), run.out());
    }

    @Test
    void anUnknownModeIsAUsageError() {
        Run run = run("convert", SAMPLE, "oci:" + tmp.resolve("x") + ":y", "--progress=fancy");
        assertEquals(2, run.code());
        assertTrue(run.err().contains("--progress needs auto, tty, plain or none"), run.err());
    }
}
