package dev.recast.stream;

import dev.recast.testing.ExternalTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.recast.testing.LayoutImages.assertFaithfulConversion;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Real conversions of the sample image in fresh JVMs where ISA-L or OpenSSL cannot be used — the library file is
 * absent, or {@code recast.inflate=jdk} / {@code recast.sha256=jdk} — which must still convert, with the JDK's
 * inflater or SHA-256.
 */
class FallbackConversionTest {
    private static final Path SAMPLE = Path.of("samples/hello").toAbsolutePath();
    private static final String ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";

    @TempDir
    Path tmp;

    @Test
    void convertsWithTheJdkWhenTheLibraryIsAbsent() {
        convertsWithTheJdk("-Drecast.isal.library=libisal-absent.so.2", tmp.resolve("absent"));
    }

    @Test
    void convertsWithTheJdkWhenTold() {
        convertsWithTheJdk("-Drecast.inflate=jdk", tmp.resolve("told"));
    }

    @Test
    void hashesWithTheJdkWhenOpenSslIsAbsent() {
        hashesWithTheJdk("-Drecast.openssl.library=libcrypto-absent.so.3", tmp.resolve("no-openssl"));
    }

    @Test
    void hashesWithTheJdkWhenTold() {
        hashesWithTheJdk("-Drecast.sha256=jdk", tmp.resolve("jdk-sha"));
    }

    private static void convertsWithTheJdk(String setting, Path target) {
        String[] printed = convert(setting, target);
        assertEquals("jdk", printed[0], "the decoder chosen with " + setting);
        assertFaithfulConversion(SAMPLE, printed[1], target, printed[2], ZSTD);
    }

    private static void hashesWithTheJdk(String setting, Path target) {
        String[] printed = convert(setting, target);
        assertEquals("jdk", printed[3], "the SHA-256 chosen with " + setting);
        assertFaithfulConversion(SAMPLE, printed[1], target, printed[2], ZSTD);
    }

    /** The conversion in a JVM of its own: decoder, source digest, result digest, SHA-256. */
    private static String[] convert(String setting, Path target) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return ExternalTools.check(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED", setting,
                "-cp", System.getProperty("java.class.path"), ChosenDecoderConversion.class.getName(),
                "oci:" + SAMPLE + ":v2s2", "oci:" + target + ":oci").toArray(String[]::new)).trim().split(" ");
    }
}
