import dev.recast.stream.GzipDecoder;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The inflate part of bench/run's CPU floor, with the decoder Recast itself chooses (ISA-L, else the JDK's):
 * decompresses each gzip file named and prints "<decoder> <CPU seconds of the decompression alone> <bytes out>".
 * Run from the jar: java --enable-native-access=ALL-UNNAMED -cp target/recast-*-runner.jar bench/InflateFloor.java FILE...
 */
public class InflateFloor {
    public static void main(String[] files) throws Exception {
        GzipDecoder decoder = GzipDecoder.chosen();
        var threads = ManagementFactory.getThreadMXBean();
        byte[] buffer = new byte[1 << 18];
        long out = 0;
        long cpu0 = threads.getCurrentThreadCpuTime();
        for (String file : files) {
            try (InputStream in = decoder.open(Files.newInputStream(Path.of(file)))) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    out += n;
                }
            }
        }
        System.out.printf("%s %.3f %d%n", decoder.name(), (threads.getCurrentThreadCpuTime() - cpu0) / 1e9, out);
    }
}
