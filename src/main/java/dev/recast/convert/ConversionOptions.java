package dev.recast.convert;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.model.Compression;
import dev.recast.model.Platform;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What a conversion should produce.
 *
 * @param level     compression level; null means the default of the compression (zstd 3, gzip 6)
 * @param platforms for lists and indexes, the platforms to keep (empty keeps all)
 * @param dryRun    read, verify and compute everything, write nothing
 * @param cache     the layer cache to use (a dry run never uses one)
 * @param format    the manifests written: OCI (default), or Docker v2s2, which carries gzip layers only (and is the
 *                  one format whose compression defaults to gzip)
 */
public record ConversionOptions(Compression compression, Integer level, List<Platform> platforms, boolean dryRun,
                                CacheChoice cache, ManifestFormat format) {
    public static final ConversionOptions DEFAULT = new ConversionOptions(Compression.ZSTD, null, List.of(), false);

    public ConversionOptions {
        format = format == null ? ManifestFormat.OCI : format;
        if (compression == null) {
            compression = format == ManifestFormat.V2S2 ? Compression.GZIP : Compression.ZSTD;
        }
        if (format == ManifestFormat.V2S2 && compression != Compression.GZIP) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "format v2s2 carries gzip layers only, not "
                    + compression.label() + ": leave out the compression or choose gzip");
        }
        platforms = platforms == null ? List.of() : List.copyOf(platforms);
        cache = cache == null ? CacheChoice.ENGINE : cache;
        if (level != null) {
            switch (compression) {
                case ZSTD -> requireRange(level, 1, 22, "zstd");
                case GZIP -> requireRange(level, 1, 9, "gzip");
                case NONE -> { }
            }
        }
    }

    /** Options with the engine's layer cache. */
    public ConversionOptions(Compression compression, Integer level, List<Platform> platforms, boolean dryRun) {
        this(compression, level, platforms, dryRun, CacheChoice.ENGINE);
    }

    /** OCI output with a chosen layer cache. */
    public ConversionOptions(Compression compression, Integer level, List<Platform> platforms, boolean dryRun,
                             CacheChoice cache) {
        this(compression, level, platforms, dryRun, cache, ManifestFormat.OCI);
    }

    public int effectiveLevel() {
        if (level != null) {
            return level;
        }
        return switch (compression) {
            case ZSTD -> 3;
            case GZIP -> 6;
            case NONE -> 0;
        };
    }

    public ConversionOptions withDryRun(boolean value) {
        return new ConversionOptions(compression, level, platforms, value, cache, format);
    }

    public ConversionOptions withCache(CacheChoice value) {
        return new ConversionOptions(compression, level, platforms, dryRun, value, format);
    }


    /**
     * A stable description of the output these options give, stored in the result's annotations so that a rerun
     * recognises its own earlier result: {@code zstd:3}, {@code gzip:6;platforms=linux/amd64},
     * {@code gzip:6;format=v2s2}.
     */
    public String label() {
        String base = compression == Compression.NONE ? "none" : compression.label() + ":" + effectiveLevel();
        if (format != ManifestFormat.OCI) {
            base += ";format=" + format.label();
        }
        if (platforms.isEmpty()) {
            return base;
        }
        return base + ";platforms=" + platforms.stream().map(p -> p.normalized().toString()).sorted()
                .collect(Collectors.joining(","));
    }

    private static void requireRange(int level, int min, int max, String name) {
        if (level < min || level > max) {
            throw new RecastException(ErrorKind.BAD_REQUEST, name + " level " + level + " is out of range "
                    + min + ".." + max);
        }
    }
}
