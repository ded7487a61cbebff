package dev.recast.cli;

import dev.recast.convert.LayerAction;
import dev.recast.model.Descriptor;
import dev.recast.model.MediaType;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlainProgressTest {
    private static final long MILLI = 1_000_000L;

    @Test
    void progressLinesComeAtMostEveryTwoSecondsPerLayer() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AtomicLong now = new AtomicLong();
        PlainProgress display = new PlainProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), now::get);
        Descriptor a = TerminalProgressTest.layer("a", 100L << 20);
        Descriptor b = TerminalProgressTest.layer("b", 100L << 20);
        display.layerStarted("img", a);
        display.layerStarted("img", b);
        for (long at = 250; at <= 4500; at += 250) {
            now.set(at * MILLI);
            display.layerProgress("img", a, at << 10, 0);
            if (at == 2000) {
                display.layerProgress("img", b, 1 << 20, 0);
            }
        }
        display.layerFinished("img", a, LayerAction.RECOMPRESSED,
                a.withContent(MediaType.OCI_LAYER_ZSTD, a.digest(), 50L << 20), 4500);
        display.close();

        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(List.of("started   sha256:aaaaaaaaaaaa  100.0 MiB  img",
                "started   sha256:bbbbbbbbbbbb  100.0 MiB  img",
                "progress  sha256:aaaaaaaaaaaa  2.0 / 100.0 MiB  1%  1000.0 KiB/s  ETA 1:40 min",
                "progress  sha256:bbbbbbbbbbbb  1.0 / 100.0 MiB  1%  512.0 KiB/s  ETA 3:18 min",
                "progress  sha256:aaaaaaaaaaaa  3.9 / 100.0 MiB  3%  1000.0 KiB/s  ETA 1:38 min",
                "finished  sha256:aaaaaaaaaaaa  RECOMPRESSED  100.0 MiB → 50.0 MiB  ratio 0.50  in 4.5 s",
                "stopped   sha256:bbbbbbbbbbbb  after 1.0 MiB of 100.0 MiB"), lines);
        assertTrue(lines.stream().noneMatch(l -> l.contains("\033")), "no escape codes in logs");
    }
}
