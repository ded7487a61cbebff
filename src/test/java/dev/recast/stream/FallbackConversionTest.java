package dev.recast.stream;

import dev.recast.testing.ExternalTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.recast.testing.LayoutImages.assertFaithfulConversion;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Real conversions of the sample image in fresh JVMs where ISA-L cannot be used — the library file is absent, or
 * {@code recast.inflate=jdk} — which must still convert, with the JDK's inflater.
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

    private static void convertsWithTheJdk(String setting, Path target) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        String[] printed = ExternalTools.check(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED", setting,
                "-cp", System.getProperty("java.class.path"), ChosenDecoderConversion.class.getName(),
                "oci:" + SAMPLE + ":v2s2", "oci:" + target + ":oci").toArray(String[]::new)).trim().split(" ");
        assertEquals("jdk", printed[0], "the decoder chosen with " + setting);
        assertFaithfulConversion(SAMPLE, printed[1], target, printed[2], ZSTD);
    }
}
