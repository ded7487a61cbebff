package dev.recast.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs tools nobody on this project wrote (zstd, gzip, skopeo) so tests check Recast's output independently.
 * A missing tool fails the test: .ci/run installs them.
 */
public final class ExternalTools {

    private ExternalTools() {
    }

    public record Result(int exitCode, byte[] stdout, String stderr) {
        public String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    public static Result run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).start();
            process.getOutputStream().close();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Thread errReader = Thread.ofVirtual().start(() -> copy(process.getErrorStream(), err));
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("timed out: " + command);
            }
            errReader.join();
            return new Result(process.exitValue(), out, err.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command + " (is it installed?): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Runs a command that must succeed and returns its standard output. */
    public static String check(String... command) {
        Result result = run(List.of(command));
        if (result.exitCode() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + result.exitCode() + ": " + result.stderr());
        }
        return result.out();
    }

    /** Decompresses a blob with the system's zstd or gzip (by its magic bytes) and hands the tar to the consumer. */
    public static void decompress(Path blob, TarConsumer consumer) {
        String tool = magic(blob);
        List<String> command = tool == null ? List.of("cat", blob.toString()) : List.of(tool, "-dc", blob.toString());
        try {
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try (InputStream in = process.getInputStream()) {
                consumer.accept(in);
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            if (process.waitFor() != 0) {
                throw new AssertionError(command + " exited " + process.exitValue());
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The SHA-256 of a blob's decompressed content, as zstd/gzip see it. */
    public static String decompressedSha256(Path blob) {
        String[] hex = new String[1];
        decompress(blob, in -> {
            try {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                byte[] buffer = new byte[1 << 16];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    digest.update(buffer, 0, n);
                }
                hex[0] = "sha256:" + HexFormat.of().formatHex(digest.digest());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        });
        return hex[0];
    }

    private static String magic(Path blob) {
        try (InputStream in = java.nio.file.Files.newInputStream(blob)) {
            byte[] head = in.readNBytes(4);
            if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
                return "gzip";
            }
            if (head.length == 4 && (head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5
                    && (head[2] & 0xff) == 0x2f && (head[3] & 0xff) == 0xfd) {
                return "zstd";
            }
            return null;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try {
            in.transferTo(out);
        } catch (IOException ignored) {
            // the process ended; what was read is kept
        }
    }

    @FunctionalInterface
    public interface TarConsumer {
        void accept(InputStream tar) throws IOException;
    }
}
