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
 * @param variants  empty: one image per platform; {@code [GZIP, ZSTD]}: an index holding, per platform, the source's
 *                  gzip image and its zstd conversion ({@link VariantsBuilder})
 * @param variantsFormat how the gzip variant is written: the source manifest itself, or an OCI manifest
 * @param force     replace the source's own tag (in place) without keeping a gzip variant, breaking old clients
 * @param referrers what to do with the source's SBOMs, attestations and signatures (not part of {@link #label()}:
 *                  it does not change the image)
 * @param format    the manifests written: OCI (default), or Docker v2s2, which carries gzip layers only (and is the
 *                  one format whose compression defaults to gzip)
 * @param provenance attach a provenance artifact to each converted manifest (a dry run attaches none)
 */
public record ConversionOptions(Compression compression, Integer level, List<Platform> platforms, boolean dryRun,
                                CacheChoice cache, List<Compression> variants, VariantsFormat variantsFormat,
                                boolean force, ReferrersMode referrers, ManifestFormat format,
                                boolean provenance) {
    /** The only variants Recast builds: what every client reads, and what zstd-aware clients prefer. */
    public static final List<Compression> GZIP_AND_ZSTD = List.of(Compression.GZIP, Compression.ZSTD);

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
        variants = variants == null || variants.isEmpty() ? List.of() : GZIP_AND_ZSTD;
        variantsFormat = variantsFormat == null ? VariantsFormat.SOURCE : variantsFormat;
        if (!variants.isEmpty() && compression != Compression.ZSTD) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "variants gzip,zstd convert to zstd; compression "
                    + compression.label() + " cannot be combined with them");
        }
        referrers = referrers == null ? ReferrersMode.COPY : referrers;
        if (level != null) {
            switch (compression) {
                case ZSTD, ZSTD_CHUNKED -> requireRange(level, 1, 22, "zstd");
                case GZIP -> requireRange(level, 1, 9, "gzip");
                case NONE -> { }
            }
        }
    }

    /** Options with the engine's layer cache. */
    public ConversionOptions(Compression compression, Integer level, List<Platform> platforms, boolean dryRun) {
        this(compression, level, platforms, dryRun, CacheChoice.ENGINE);
    }

    /** OCI output without variants or force, copying referrers. */
    public ConversionOptions(Compression compression, Integer level, List<Platform> platforms, boolean dryRun,
                             CacheChoice cache) {
        this(compression, level, platforms, dryRun, cache, ManifestFormat.OCI);
    }

    /** Output in {@code format}, without variants or force, copying referrers. */
    public ConversionOptions(Compression compression, Integer level, List<Platform> platforms, boolean dryRun,
                             CacheChoice cache, ManifestFormat format) {
        this(compression, level, platforms, dryRun, cache, List.of(), VariantsFormat.SOURCE, false, ReferrersMode.COPY,
                format, true);
    }

    /**
     * The variants a request names ({@code gzip,zstd}, in any order); null or empty: none. Recast builds exactly
     * these two, so anything else is refused.
     */
    public static List<Compression> variants(List<String> names) {
        if (names == null || names.isEmpty()) {
            return List.of();
        }
        List<Compression> parsed = names.stream().map(Compression::parse).distinct().sorted().toList();
        if (!parsed.equals(GZIP_AND_ZSTD) || names.size() != 2) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "variants " + String.join(",", names)
                    + " are not supported: the only variants are gzip,zstd");
        }
        return GZIP_AND_ZSTD;
    }

    public int effectiveLevel() {
        if (level != null) {
            return level;
        }
        return switch (compression) {
            case ZSTD, ZSTD_CHUNKED -> 3;
            case GZIP -> 6;
            case NONE -> 0;
        };
    }

    public ConversionOptions withDryRun(boolean value) {
        return new ConversionOptions(compression, level, platforms, value, cache, variants, variantsFormat, force,
                referrers, format, provenance);
    }

    public ConversionOptions withCache(CacheChoice value) {
        return new ConversionOptions(compression, level, platforms, dryRun, value, variants, variantsFormat, force,
                referrers, format, provenance);
    }

    public ConversionOptions withVariants(List<Compression> value, VariantsFormat how) {
        return new ConversionOptions(compression, level, platforms, dryRun, cache, value, how, force, referrers, format,
                provenance);
    }

    public ConversionOptions withForce(boolean value) {
        return new ConversionOptions(compression, level, platforms, dryRun, cache, variants, variantsFormat, value,
                referrers, format, provenance);
    }

    public ConversionOptions withReferrers(ReferrersMode value) {
        return new ConversionOptions(compression, level, platforms, dryRun, cache, variants, variantsFormat, force, value,
                format, provenance);
    }

    public ConversionOptions withProvenance(boolean value) {
        return new ConversionOptions(compression, level, platforms, dryRun, cache, variants, variantsFormat, force,
                referrers, format, value);
    }

    /**
     * A stable description of the output these options give, stored in the result's annotations so that a rerun
     * recognises its own earlier result: {@code zstd:3}, {@code zstd:chunked:3}, {@code gzip:6;platforms=linux/amd64},
     * {@code gzip:6;format=v2s2}, {@code zstd:3;variants=gzip,zstd}, {@code zstd:3;variants=gzip,zstd;variants-format=oci}.
     */
    public String label() {
        String base = compression == Compression.NONE ? "none" : compression.label() + ":" + effectiveLevel();
        if (format != ManifestFormat.OCI) {
            base += ";format=" + format.label();
        }
        if (!platforms.isEmpty()) {
            base += ";platforms=" + platforms.stream().map(p -> p.normalized().toString()).sorted()
                    .collect(Collectors.joining(","));
        }
        return variants.isEmpty() ? base : base + ";variants=gzip,zstd"
                + (variantsFormat == VariantsFormat.OCI ? ";variants-format=oci" : "");
    }

    private static void requireRange(int level, int min, int max, String name) {
        if (level < min || level > max) {
            throw new RecastException(ErrorKind.BAD_REQUEST, name + " level " + level + " is out of range "
                    + min + ".." + max);
        }
    }
}
