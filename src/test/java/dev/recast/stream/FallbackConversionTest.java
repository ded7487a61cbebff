package dev.recast.stream;

import dev.recast.testing.ExternalTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.recast.testing.LayoutImages.assertFaithfulConversion;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real conversions of the sample image in fresh JVMs where ISA-L or OpenSSL cannot be used — the library file is
 * absent, or {@code recast.inflate=jdk} / {@code recast.sha256=jdk} — which must still convert, with the JDK's
 * inflater or SHA-256.
 */
class FallbackConversionTest {
    private static final Path SAMPLE = Path.of("samples/hello").toAbsolutePath();
    private static final String ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";
    /** Where the printed line names the decoder and the SHA-256 chosen (see {@link #convert}). */
    private static final int DECODER = 0;
    private static final int SHA256 = 3;

    @TempDir
    Path tmp;

    @Test
    void convertsWithTheJdkWhenTheLibraryIsAbsent() {
        choosesTheJdk("-Drecast.isal.library=libisal-absent.so.2", DECODER, tmp.resolve("absent"));
    }

    @Test
    void convertsWithTheJdkWhenTold() {
        choosesTheJdk("-Drecast.inflate=jdk", DECODER, tmp.resolve("told"));
    }

    @Test
    void hashesWithTheJdkWhenOpenSslIsAbsent() {
        choosesTheJdk("-Drecast.openssl.library=libcrypto-absent.so.3", SHA256, tmp.resolve("no-openssl"));
    }

    @Test
    void hashesWithTheJdkWhenTold() {
        choosesTheJdk("-Drecast.sha256=jdk", SHA256, tmp.resolve("jdk-sha"));
    }

    /** As ./recast runs a command when it finds libcrypto: on C1 alone, where the JDK's SHA-256 is slow. */
    @Test
    void onC1AloneAMissingOpenSslIsWarnedAboutAndTheConversionStillHolds() {
        Path target = tmp.resolve("c1-no-openssl");
        ExternalTools.Result result = ExternalTools.run(command(List.of("-XX:TieredStopAtLevel=1",
                "-Drecast.openssl.library=libcrypto-absent.so.3"), target));
        assertEquals(0, result.exitCode(), result.stderr());
        assertTrue(result.stderr().contains("about ten times slower") && result.stderr().contains("RECAST_SHA256=jdk"),
                result.stderr());
        String[] printed = result.out().trim().split(" ");
        assertEquals("jdk", printed[SHA256]);
        assertFaithfulConversion(SAMPLE, printed[1], target, printed[2], ZSTD);
    }

    /** Converts in a fresh JVM with {@code setting}: the choice printed at {@code choice} is the JDK's, and it holds. */
    private static void choosesTheJdk(String setting, int choice, Path target) {
        String[] printed = convert(setting, target);
        assertEquals("jdk", printed[choice],
                "the " + (choice == DECODER ? "decoder" : "SHA-256") + " chosen with " + setting);
        assertFaithfulConversion(SAMPLE, printed[1], target, printed[2], ZSTD);
    }

    /** The conversion in a JVM of its own: decoder, source digest, result digest, SHA-256. */
    private static String[] convert(String setting, Path target) {
        return ExternalTools.check(command(List.of(setting), target).toArray(String[]::new)).trim().split(" ");
    }

    private static List<String> command(List<String> jvmOptions, Path target) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "--enable-native-access=ALL-UNNAMED"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ChosenDecoderConversion.class.getName(),
                "oci:" + SAMPLE + ":v2s2", "oci:" + target + ":oci"));
        return command;
    }
}
