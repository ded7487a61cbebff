package dev.recast.convert;

import dev.recast.ErrorKind;
import dev.recast.RecastException;

import java.util.Locale;

/** What a conversion does with what is attached to its source (SBOMs, attestations, signatures). */
public enum ReferrersMode {
    /** SBOMs and attestations are re-attached to the result; signatures and other artifacts are reported. */
    COPY,
    /** Everything attached is listed in the report; nothing is written. */
    REPORT,
    /** Nothing attached is looked for. */
    SKIP;

    /** {@code copy}, {@code report} or {@code skip}; null is {@link #COPY}. */
    public static ReferrersMode parse(String text) {
        if (text == null) {
            return COPY;
        }
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "copy" -> COPY;
            case "report" -> REPORT;
            case "skip" -> SKIP;
            default -> throw new RecastException(ErrorKind.BAD_REQUEST, "referrers must be copy, report or skip, not '"
                    + text + "'");
        };
    }
}
