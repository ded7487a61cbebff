package dev.recast.model;

import java.util.regex.Pattern;

/** Globs over slash-separated names: {@code *} within one segment, {@code **} across segments, {@code ?} one char. */
public final class PathGlob {
    private PathGlob() {
    }

    /** @param pathAware whether {@code *} and {@code ?} stop at '/' (repositories) or not (hosts) */
    public static Pattern compile(String glob, boolean pathAware) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                regex.append(".*");
                i++;
            } else if (c == '*') {
                regex.append(pathAware ? "[^/]*" : ".*");
            } else if (c == '?') {
                regex.append(pathAware ? "[^/]" : ".");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
