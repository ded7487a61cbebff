package dev.recast.cli;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ProgressModeTest {

    @Test
    void autoDrawsOnATerminalOnlyAndJsonTurnsEverythingOff() {
        assertEquals(ProgressMode.TTY, ProgressMode.AUTO.resolve(false, true));
        assertEquals(ProgressMode.NONE, ProgressMode.AUTO.resolve(false, false));
        assertEquals(ProgressMode.PLAIN, ProgressMode.PLAIN.resolve(false, false));
        assertEquals(ProgressMode.TTY, ProgressMode.TTY.resolve(false, false));
        for (ProgressMode mode : ProgressMode.values()) {
            assertEquals(ProgressMode.NONE, mode.resolve(true, true), mode.name());
        }
    }

    @Test
    void parsesAnyCaseAndRefusesTheRest() {
        assertEquals(ProgressMode.PLAIN, ProgressMode.parse("Plain"));
        assertThrows(UsageException.class, () -> ProgressMode.parse("bars"));
    }

    @Test
    void aDumbTerminalIsNoTerminal() {
        assertFalse(ProgressMode.stderrIsTerminal(Map.of("TERM", "dumb")));
    }
}
