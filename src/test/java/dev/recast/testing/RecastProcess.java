package dev.recast.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * The recast command line as users run it, in a process of its own (java on this test run's class path, main class
 * {@code dev.recast.cli.RecastMain}): its exit code, report and errors are what a user would see.
 */
public final class RecastProcess {

    private RecastProcess() {
    }

    /** Runs {@code recast ARGS...}, which must succeed, and returns its report (stdout). */
    public static String run(String... args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "dev.recast.cli.RecastMain"));
        command.addAll(List.of(args));
        ExternalTools.Result result = ExternalTools.run(command);
        if (result.exitCode() != 0) {
            throw new AssertionError("recast " + String.join(" ", args) + " exited " + result.exitCode() + ": "
                    + result.stderr());
        }
        return result.out();
    }
}
