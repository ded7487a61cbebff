package dev.recast.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.recast.ErrorKind;
import dev.recast.RecastException;

import java.util.regex.Pattern;

/**
 * A media type string. Known Docker v2s2 and OCI image types are constants; any other well-formed type
 * (artifacts, signatures, SBOMs) is kept as it is so that it passes through unchanged.
 */
public record MediaType(String value) {
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}");

    public static final MediaType DOCKER_MANIFEST = new MediaType("application/vnd.docker.distribution.manifest.v2+json");
    public static final MediaType DOCKER_MANIFEST_LIST = new MediaType("application/vnd.docker.distribution.manifest.list.v2+json");
    public static final MediaType DOCKER_SCHEMA1 = new MediaType("application/vnd.docker.distribution.manifest.v1+json");
    public static final MediaType DOCKER_SCHEMA1_SIGNED = new MediaType("application/vnd.docker.distribution.manifest.v1+prettyjws");
    public static final MediaType DOCKER_CONFIG = new MediaType("application/vnd.docker.container.image.v1+json");
    public static final MediaType DOCKER_PLUGIN_CONFIG = new MediaType("application/vnd.docker.plugin.v1+json");
    public static final MediaType DOCKER_LAYER = new MediaType("application/vnd.docker.image.rootfs.diff.tar");
    public static final MediaType DOCKER_LAYER_GZIP = new MediaType("application/vnd.docker.image.rootfs.diff.tar.gzip");
    public static final MediaType DOCKER_LAYER_ZSTD = new MediaType("application/vnd.docker.image.rootfs.diff.tar.zstd");
    public static final MediaType DOCKER_FOREIGN_LAYER_GZIP = new MediaType("application/vnd.docker.image.rootfs.foreign.diff.tar.gzip");
    public static final MediaType DOCKER_FOREIGN_LAYER = new MediaType("application/vnd.docker.image.rootfs.foreign.diff.tar");

    public static final MediaType OCI_MANIFEST = new MediaType("application/vnd.oci.image.manifest.v1+json");
    public static final MediaType OCI_INDEX = new MediaType("application/vnd.oci.image.index.v1+json");
    public static final MediaType OCI_CONFIG = new MediaType("application/vnd.oci.image.config.v1+json");
    public static final MediaType OCI_EMPTY = new MediaType("application/vnd.oci.empty.v1+json");
    public static final MediaType OCI_LAYER = new MediaType("application/vnd.oci.image.layer.v1.tar");
    public static final MediaType OCI_LAYER_GZIP = new MediaType("application/vnd.oci.image.layer.v1.tar+gzip");
    public static final MediaType OCI_LAYER_ZSTD = new MediaType("application/vnd.oci.image.layer.v1.tar+zstd");
    public static final MediaType OCI_NONDISTRIBUTABLE_LAYER = new MediaType("application/vnd.oci.image.layer.nondistributable.v1.tar");
    public static final MediaType OCI_NONDISTRIBUTABLE_LAYER_GZIP = new MediaType("application/vnd.oci.image.layer.nondistributable.v1.tar+gzip");
    public static final MediaType OCI_NONDISTRIBUTABLE_LAYER_ZSTD = new MediaType("application/vnd.oci.image.layer.nondistributable.v1.tar+zstd");

    public MediaType {
        if (value == null || !SHAPE.matcher(value).matches()) {
            String shown = value == null ? "null" : value.length() > 100 ? value.substring(0, 100) + "…" : value;
            throw new RecastException(ErrorKind.INVALID_IMAGE, "invalid media type '" + shown + "'");
        }
    }

    @JsonCreator
    public static MediaType of(String value) {
        return new MediaType(value);
    }

    public boolean isImageManifest() {
        return equals(DOCKER_MANIFEST) || equals(OCI_MANIFEST);
    }

    public boolean isIndex() {
        return equals(DOCKER_MANIFEST_LIST) || equals(OCI_INDEX);
    }

    public boolean isSchema1() {
        return equals(DOCKER_SCHEMA1) || equals(DOCKER_SCHEMA1_SIGNED);
    }

    public boolean isDocker() {
        return value.startsWith("application/vnd.docker.");
    }

    public boolean isImageConfig() {
        return equals(DOCKER_CONFIG) || equals(OCI_CONFIG);
    }

    /** Layers whose blobs live elsewhere (Windows base layers): never fetched, never pushed. */
    public boolean isForeignLayer() {
        return equals(DOCKER_FOREIGN_LAYER_GZIP) || equals(DOCKER_FOREIGN_LAYER)
                || value.startsWith("application/vnd.oci.image.layer.nondistributable.");
    }

    /** A filesystem layer Recast understands (tar, tar+gzip, tar+zstd in Docker or OCI spelling). */
    public boolean isLayer() {
        return layerCompression() != null;
    }

    /** The compression a layer type declares, or null when this is not a known layer type. */
    public Compression layerCompression() {
        return switch (value) {
            case "application/vnd.docker.image.rootfs.diff.tar",
                 "application/vnd.docker.image.rootfs.foreign.diff.tar",
                 "application/vnd.oci.image.layer.v1.tar",
                 "application/vnd.oci.image.layer.nondistributable.v1.tar" -> Compression.NONE;
            case "application/vnd.docker.image.rootfs.diff.tar.gzip",
                 "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
                 "application/vnd.oci.image.layer.v1.tar+gzip",
                 "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip" -> Compression.GZIP;
            case "application/vnd.docker.image.rootfs.diff.tar.zstd",
                 "application/vnd.oci.image.layer.v1.tar+zstd",
                 "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd" -> Compression.ZSTD;
            default -> null;
        };
    }

    /** The OCI layer type for a compression. */
    public static MediaType ociLayer(Compression compression) {
        return switch (compression) {
            case NONE -> OCI_LAYER;
            case GZIP -> OCI_LAYER_GZIP;
            case ZSTD, ZSTD_CHUNKED -> OCI_LAYER_ZSTD;
        };
    }

    /** The OCI non-distributable (foreign) layer type for a compression. */
    public static MediaType ociForeignLayer(Compression compression) {
        return switch (compression) {
            case NONE -> OCI_NONDISTRIBUTABLE_LAYER;
            case GZIP -> OCI_NONDISTRIBUTABLE_LAYER_GZIP;
            case ZSTD, ZSTD_CHUNKED -> OCI_NONDISTRIBUTABLE_LAYER_ZSTD;
        };
    }

    @JsonValue
    @Override
    public String toString() {
        return value;
    }
}
