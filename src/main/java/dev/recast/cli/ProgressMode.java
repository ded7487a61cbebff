package dev.recast.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * How {@code --progress} shows layers going by on stderr. {@code AUTO}, the default, draws live lines when stderr is
 * a terminal and shows nothing otherwise (stderr of a script keeps errors only; logs ask for {@code plain}).
 */
enum ProgressMode {
    AUTO, TTY, PLAIN, NONE;

    static ProgressMode parse(String text) {
        try {
            return valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--progress needs auto, tty, plain or none, got '" + text + "'");
        }
    }

    /** The mode in effect: {@code --json} turns progress off, whatever else was asked. */
    ProgressMode resolve(boolean json, boolean stderrIsTerminal) {
        if (json) {
            return NONE;
        }
        return this == AUTO ? (stderrIsTerminal ? TTY : NONE) : this;
    }

    /**
     * Whether stderr is a terminal that understands cursor movement: not with {@code TERM=dumb}; on Linux, when file
     * descriptor 2 is a terminal device; elsewhere, when the JVM has a console (stdin and stdout are a terminal: Java
     * cannot ask about stderr alone).
     */
    static boolean stderrIsTerminal(Map<String, String> env) {
        if ("dumb".equals(env.get("TERM"))) {
            return false;
        }
        Path stderr = Path.of("/proc/self/fd/2");
        if (Files.exists(Path.of("/proc/self/fd"))) {
            try {
                String device = Files.readSymbolicLink(stderr).toString();
                return device.startsWith("/dev/pts/") || device.startsWith("/dev/tty");
            } catch (IOException | UnsupportedOperationException e) {
                return false;
            }
        }
        return System.console() != null;
    }
}
