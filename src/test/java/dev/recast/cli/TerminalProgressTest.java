package dev.recast.cli;

import dev.recast.convert.LayerAction;
import dev.recast.model.Descriptor;
import dev.recast.model.Digest;
import dev.recast.model.MediaType;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The live display fed events by hand, with a clock of its own, and its ANSI output read back. */
class TerminalProgressTest {
    private static final long SECOND = 1_000_000_000L;
    private static final String UP_TWO = "\033[2A";
    private static final Descriptor FIRST = layer("a", 100L << 20);
    private static final Descriptor SECOND_LAYER = layer("b", 10L << 20);

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final AtomicLong now = new AtomicLong();
    private final TerminalProgress display = new TerminalProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8),
            now::get, 120);

    static Descriptor layer(String fill, long size) {
        return new Descriptor(MediaType.DOCKER_LAYER_GZIP, Digest.parse("sha256:" + fill.repeat(64)), size);
    }

    /** What the display printed since the last call. */
    private String printed() {
        String text = bytes.toString(StandardCharsets.UTF_8);
        bytes.reset();
        return text;
    }

    @Test
    void drawsOneLiveLinePerLayerAndRedrawsThemInPlace() {
        display.layerStarted("img", FIRST);
        display.layerStarted("img", SECOND_LAYER);
        display.draw();
        String first = printed();
        assertTrue(first.startsWith("\r\033[2K"), "no cursor movement before anything was drawn: " + visible(first));
        assertEquals(2, first.lines().filter(l -> l.contains("sha256:aaaaaaaaaaaa") || l.contains("sha256:bbbbbbbbbbbb")).count(), visible(first));

        now.set(2 * SECOND);
        display.layerProgress("img", FIRST, 50L << 20, 40L << 20);
        display.draw();
        String second = printed();
        assertTrue(second.startsWith("\r" + UP_TWO), visible(second));
        assertTrue(second.contains("sha256:aaaaaaaaaaaa  50.0 / 100.0 MiB  50%  25.0 MiB/s  ratio 0.80  ETA 2.0 s"),
                visible(second));
        assertTrue(second.endsWith("\033[J"), visible(second));

        display.draw();
        assertEquals("", printed(), "nothing changed: no frame");

        now.set(4 * SECOND);
        display.draw();
        String stalled = printed();
        assertTrue(stalled.contains("sha256:aaaaaaaaaaaa  50.0 / 100.0 MiB  50%  12.5 MiB/s  ratio 0.80  ETA 4.0 s"),
                "a layer waiting between reads still shows its rate falling: " + visible(stalled));
    }

    @Test
    void aFinishedLayerLeavesItsFinalLineAboveTheLiveOnes() {
        display.layerStarted("img", FIRST);
        display.layerStarted("img", SECOND_LAYER);
        display.draw();
        printed();

        now.set(SECOND);
        display.layerFinished("img", SECOND_LAYER, LayerAction.RECOMPRESSED,
                SECOND_LAYER.withContent(MediaType.OCI_LAYER_ZSTD, SECOND_LAYER.digest(), 9L << 20), 1000);
        display.draw();
        String frame = printed();
        assertTrue(frame.startsWith("\r" + UP_TWO), visible(frame));
        String[] lines = frame.split("\n");
        assertTrue(lines[0].endsWith("sha256:bbbbbbbbbbbb  RECOMPRESSED  10.0 MiB → 9.0 MiB  ratio 0.90  in 1.0 s"), visible(frame));
        assertTrue(lines[1].contains("sha256:aaaaaaaaaaaa  0.0 / 100.0 MiB  0%"), visible(frame));

        display.layerProgress("img", FIRST, 1 << 20, 0);
        display.draw();
        assertTrue(printed().startsWith("\r\033[1A"), "one live line left to go back over");
    }

    @Test
    void closingShowsEveryLayerLastStateOnce() {
        display.layerStarted("img", FIRST);
        display.layerStarted("img", SECOND_LAYER);
        display.draw();
        display.layerFinished("img", FIRST, LayerAction.COPIED, FIRST, 5);
        display.close();
        String all = printed();
        assertEquals(1, all.lines().filter(l -> l.contains("sha256:aaaaaaaaaaaa  COPIED  100.0 MiB → 100.0 MiB")).count(), visible(all));
        assertEquals(1, all.lines().filter(l -> l.contains("sha256:bbbbbbbbbbbb  STOPPED  after 0 B of 10.0 MiB")).count(), visible(all));
        String tail = all.substring(all.lastIndexOf("\r"));
        assertFalse(tail.contains("/ 10.0 MiB"), "no live line is left below the final ones: " + visible(tail));
    }

    @Test
    void linesAreCutToTheTerminalWidth() {
        TerminalProgress narrow = new TerminalProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), now::get, 30);
        narrow.layerStarted("img", FIRST);
        narrow.draw();
        String frame = printed();
        assertTrue(frame.lines().allMatch(l -> l.replace("\033[2K", "").replace("\033[J", "").replace("\r", "").length() < 30),
                visible(frame));
        assertEquals(80, TerminalProgress.width(null));
        assertEquals(132, TerminalProgress.width("132"));
    }

    private static String visible(String ansi) {
        return ansi.replace("\033", "ESC");
    }
}
