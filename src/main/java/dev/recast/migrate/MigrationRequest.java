package dev.recast.migrate;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.convert.ConversionOptions;
import dev.recast.registry.reference.RegistryReference;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One migration: which images of a registry to convert, where to, and how.
 *
 * @param registry     the registry host ({@code host[:port]}, normalised as any reference's)
 * @param repositories repository globs ({@code *} one path segment, {@code **} any); none means all
 * @param tag          tags to take (a regex over the whole tag; its named groups are template placeholders), or null
 * @param latest       per repository, only the last N tags in version order (numbers compared as numbers), or null
 * @param target       the target template, e.g. {@code {repository}:{tag}-oci}
 * @param listed       the repositories to migrate when the catalog is disabled, or null to read the catalog
 * @param concurrency  images converted at once
 * @param pageSize     names asked for per catalog or tag-list request
 * @param options      how each image is converted; {@code dryRun} plans only, writing nothing
 */
public record MigrationRequest(String registry, List<String> repositories, Pattern tag, Integer latest,
                               String target, List<String> listed, int concurrency, int pageSize,
                               ConversionOptions options) {
    public static final String DEFAULT_TARGET = "{repository}:{tag}-oci";

    public MigrationRequest {
        repositories = List.copyOf(repositories);
        listed = listed == null ? null : List.copyOf(listed);
        target = target == null ? DEFAULT_TARGET : target;
        if (concurrency < 1 || pageSize < 1 || latest != null && latest < 1) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "concurrency, page size and latest count must be at "
                    + "least 1 (got " + concurrency + ", " + pageSize + ", " + latest + ")");
        }
    }

    /** The same migration converting at most {@code most} images at once (the conversion slots its caller holds). */
    public MigrationRequest withConcurrency(int most) {
        return new MigrationRequest(registry, repositories, tag, latest, target, listed, Math.min(concurrency, most),
                pageSize, options);
    }

    /** {@code docker://HOST[:PORT]} or {@code HOST[:PORT]}, as the registry host Recast talks to. */
    public static String registryHost(String text) {
        String host = text.startsWith("docker://") ? text.substring("docker://".length()) : text;
        host = host.endsWith("/") ? host.substring(0, host.length() - 1) : host;
        if (host.isEmpty() || host.contains("/") || host.contains("@")) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "'" + text + "' is not a registry: give "
                    + "[docker://]HOST[:PORT], without a repository");
        }
        return RegistryReference.parse(host + "/probe").registry();
    }
}
