package dev.recast.registry.http;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.model.PathGlob;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The repositories the service may write to ({@code recast.registries.writable}): globs of
 * {@code host[:port]/repository}, e.g. {@code registry.example.com/team/**}. None given: any allowed registry.
 */
public final class WritableRepositories {
    public static final WritableRepositories ANY = new WritableRepositories(List.of());
    private final List<Pattern> globs;

    private WritableRepositories(List<Pattern> globs) {
        this.globs = globs;
    }

    public static WritableRepositories of(Collection<String> globs) {
        return new WritableRepositories(globs.stream().map(String::trim).filter(g -> !g.isEmpty())
                .map(g -> PathGlob.compile(g.toLowerCase(Locale.ROOT), true)).toList());
    }

    public boolean permits(String registry, String repository) {
        String name = (registry + "/" + repository).toLowerCase(Locale.ROOT);
        return globs.isEmpty() || globs.stream().anyMatch(g -> g.matcher(name).matches());
    }

    /** Refuses a write to a repository outside the globs, before anything is written. */
    public void check(String registry, String repository) {
        if (!permits(registry, repository)) {
            throw new RecastException(ErrorKind.FORBIDDEN, "this service may not write to " + registry + "/" + repository
                    + " (not matched by recast.registries.writable)");
        }
    }
}
