package dev.recast.cli;

import dev.recast.convert.ConversionListener;

import java.io.PrintStream;

/**
 * Shows a command's layers on stderr while they move. Stdout is never touched: it keeps the report, printed after
 * the display is closed so the two never interleave on a terminal.
 */
interface ProgressDisplay extends ConversionListener, AutoCloseable {
    ProgressDisplay NONE = () -> {
    };

    /** Shows the last state of every layer and stops drawing. */
    @Override
    void close();

    /** The display for a resolved mode ({@link ProgressMode#resolve}), drawing on {@code err}. */
    static ProgressDisplay open(ProgressMode mode, PrintStream err) {
        return switch (mode) {
            case TTY -> TerminalProgress.started(err, TerminalProgress.width(System.getenv("COLUMNS")));
            case PLAIN -> new PlainProgress(err, System::nanoTime);
            case AUTO, NONE -> NONE;
        };
    }
}
