package dev.recast.convert;

import com.github.luben.zstd.util.ZstdVersion;
import dev.recast.model.Compression;
import dev.recast.model.Digest;

/**
 * What a converted layer depends on: the source blob, the target compression and level, and the codec that wrote it
 * (another zstd or zlib may write other bytes for the same tar, so its entries are its own).
 *
 * @param codec e.g. {@code zstdjni1.5.7-6}, {@code jdk25} (gzip is the JDK's zlib), {@code tar}
 */
record LayerCacheKey(Digest source, Compression compression, int level, String codec) {

    static LayerCacheKey of(Digest source, ConversionOptions options) {
        return new LayerCacheKey(source, options.compression(), options.effectiveLevel(), codec(options.compression()));
    }

    static String codec(Compression compression) {
        return switch (compression) {
            case ZSTD, ZSTD_CHUNKED -> "zstdjni" + ZstdVersion.VERSION;
            case GZIP -> "jdk" + Runtime.version().feature();
            case NONE -> "tar";
        };
    }

    /**
     * The cache tag: {@code sha256-<the source digest's 64 hex digits>-zstd-3-zstdjni1.5.7-6}. The whole digest (no
     * shorter prefix) keeps entries apart; a longer digest (sha512) keeps its first 64 digits, still 256 bits.
     * Fits a tag ({@code [A-Za-z0-9_][A-Za-z0-9._-]{0,127}}): codec versions have only letters, digits, dots and dashes.
     */
    String tag() {
        String hex = source.hex().length() > 64 ? source.hex().substring(0, 64) : source.hex();
        String tag = source.algorithm() + "-" + hex + "-" + compression.label().replace(':', '-') + "-" + level + "-"
                + codec.replaceAll("[^A-Za-z0-9._-]", "_");
        return tag.length() > 128 ? tag.substring(0, 128) : tag;
    }
}
