package dev.recast.convert;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.model.Compression;
import dev.recast.model.MediaType;

import java.util.Locale;

/**
 * The manifest format a conversion writes: OCI (the default), or Docker V2 Schema 2 for registries and clients that
 * accept nothing else (the way back: gzip layers only, no annotations).
 */
public enum ManifestFormat {
    OCI, V2S2;

    public static ManifestFormat parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "unknown format '" + text + "': expected oci or v2s2");
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The layer type this format gives a layer compressed as {@code compression}. */
    MediaType layerType(Compression compression) {
        return this == OCI ? MediaType.ociLayer(compression) : MediaType.DOCKER_LAYER_GZIP;
    }

    /**
     * The type of a foreign (non-distributable) layer compressed as {@code compression}; Docker has no zstd one, and
     * a foreign layer is never fetched, so it cannot be recompressed: refused, naming the layer.
     */
    MediaType foreignLayerType(Compression compression, String image, String layer) {
        if (this == OCI) {
            return MediaType.ociForeignLayer(compression);
        }
        return switch (compression) {
            case GZIP -> MediaType.DOCKER_FOREIGN_LAYER_GZIP;
            case NONE -> MediaType.DOCKER_FOREIGN_LAYER;
            case ZSTD, ZSTD_CHUNKED -> throw new RecastException(ErrorKind.UNSUPPORTED, "a foreign (non-distributable) zstd layer "
                    + "has no Docker v2s2 type, and Recast never fetches foreign layers to recompress them", image,
                    layer, null);
        };
    }

    /** The config type: the config's bytes stay as they are, only the descriptor's type follows the format. */
    MediaType configType() {
        return this == OCI ? MediaType.OCI_CONFIG : MediaType.DOCKER_CONFIG;
    }
}
