package dev.recast.migrate;

import dev.recast.ErrorKind;
import dev.recast.RecastException;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * A tag as a regex reads it, that stops the match once its time is up. A caller's pattern can backtrack
 * catastrophically ({@code (.*a){20}$}) and java.util.regex cannot be interrupted, but every step reads the text through
 * {@link #charAt}: failing there ends the match.
 */
final class DeadlineText implements CharSequence {
    /** Far more than any sane pattern needs on a tag (at most 128 characters). */
    static final Duration PER_TAG = Duration.ofMillis(250);
    private static final int READS_BETWEEN_CLOCK_CHECKS = 1024;

    private final String text;
    private final int start;
    private final int end;
    private final long deadline;
    private final Pattern pattern;
    private int reads;

    private DeadlineText(String text, int start, int end, long deadline, Pattern pattern) {
        this.text = text;
        this.start = start;
        this.end = end;
        this.deadline = deadline;
        this.pattern = pattern;
    }

    /** Whether {@code pattern} matches the whole of {@code tag}; refuses a pattern that takes longer than {@link #PER_TAG}. */
    static boolean matches(Pattern pattern, String tag) {
        return pattern.matcher(new DeadlineText(tag, 0, tag.length(), System.nanoTime() + PER_TAG.toNanos(), pattern))
                .matches();
    }

    @Override
    public char charAt(int index) {
        if (++reads % READS_BETWEEN_CLOCK_CHECKS == 0 && System.nanoTime() - deadline > 0) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "the tag pattern '" + pattern.pattern() + "' took more than "
                    + PER_TAG.toMillis() + " ms on tag '" + text + "' (catastrophic backtracking?): simplify it");
        }
        return text.charAt(start + index);
    }

    @Override
    public int length() {
        return end - start;
    }

    @Override
    public CharSequence subSequence(int from, int to) {
        DeadlineText part = new DeadlineText(text, start + from, start + to, deadline, pattern);
        part.reads = reads;
        return part;
    }

    @Override
    public String toString() {
        return text.substring(start, end);
    }
}
