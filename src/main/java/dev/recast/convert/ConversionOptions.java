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
 * @param referrers what to do with the source's SBOMs, attestations and signatures (not part of {@link #label()}:
 *                  it does not change the image)
 * @param provenance attach a provenance artifact to each converted manifest (a dry run attaches none)
 */
public record ConversionOptions(Compression compression, Integer level, List<Platform> platforms, boolean dryRun,
                                CacheChoice cache, ReferrersMode referrers, boolean provenance) {
    public static final ConversionOptions DEFAULT = new ConversionOptions(Compression.ZSTD, null, List.of(), false);

    public ConversionOptions {
        if (compression == null) {
            compression = Compression.ZSTD;
        }
        platforms = platforms == null ? List.of() : List.copyOf(platforms);
        cache = cache == null ? CacheChoice.ENGINE : cache;
        referrers = referrers == null ? ReferrersMode.COPY : referrers;
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

    /** Options that copy referrers and record provenance. */
    public ConversionOptions(Compression compression, Integer level, List<Platform> platforms, boolean dryRun,
                             CacheChoice cache) {
        this(compression, level, platforms, dryRun, cache, ReferrersMode.COPY, true);
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
        return new ConversionOptions(compression, level, platforms, value, cache, referrers, provenance);
    }

    public ConversionOptions withCache(CacheChoice value) {
        return new ConversionOptions(compression, level, platforms, dryRun, value, referrers, provenance);
    }

    public ConversionOptions withReferrers(ReferrersMode value) {
        return new ConversionOptions(compression, level, platforms, dryRun, cache, value, provenance);
    }

    public ConversionOptions withProvenance(boolean value) {
        return new ConversionOptions(compression, level, platforms, dryRun, cache, referrers, value);
    }

    /**
     * A stable description of the output these options give, stored in the result's annotations so that a rerun
     * recognises its own earlier result: {@code zstd:3}, {@code gzip:6;platforms=linux/amd64}.
     */
    public String label() {
        String base = compression == Compression.NONE ? "none" : compression.label() + ":" + effectiveLevel();
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
