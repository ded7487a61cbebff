package dev.recast.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recast.ErrorKind;
import dev.recast.RecastException;

import java.util.Map;

/** A parsed manifest or index, always backed by the exact bytes it was read from. */
public sealed interface ImageManifest permits Manifest, Index {

    Content content();

    Map<String, String> annotations();

    default MediaType mediaType() {
        return content().mediaType();
    }

    default Digest digest() {
        return content().digest();
    }

    /**
     * Parses stored manifest bytes. The type is the document's own {@code mediaType} field, else what its fields show
     * (with the type it was served with where that agrees) (OCI allows the field to be absent).
     */
    static ImageManifest parse(Content stored) {
        ObjectNode json = ImageJson.readObject(stored.bytes(), "manifest " + stored.digest());
        MediaType type = mediaTypeOf(json, stored);
        Content content = type.equals(stored.mediaType()) ? stored : new Content(type, stored.bytes(), stored.digest());
        if (type.isIndex()) {
            return Index.parse(content, json);
        }
        return Manifest.parse(content, json);
    }

    private static MediaType mediaTypeOf(ObjectNode json, Content stored) {
        String what = "manifest " + stored.digest();
        String declared = ImageJson.text(json, "mediaType", what);
        MediaType type;
        if (declared != null) {
            type = MediaType.of(declared);
        } else if (json.has("manifests")) {
            type = stored.mediaType().isIndex() ? stored.mediaType() : MediaType.OCI_INDEX;
        } else if (json.has("config") && json.has("layers")) {
            type = stored.mediaType().isImageManifest() ? stored.mediaType() : MediaType.OCI_MANIFEST;
        } else if (json.has("fsLayers")) {
            type = MediaType.DOCKER_SCHEMA1;
        } else {
            throw ImageJson.invalid(what + " is neither an image manifest nor an index");
        }
        if (type.isSchema1()) {
            throw new RecastException(ErrorKind.UNSUPPORTED, what + " is a Docker schema 1 manifest ("
                    + type + "); convert it to schema 2 first (for example with skopeo copy --format v2s2)");
        }
        if (!type.isImageManifest() && !type.isIndex()) {
            throw new RecastException(ErrorKind.UNSUPPORTED, what + " has media type " + type
                    + ", which is not an image manifest or index");
        }
        return type;
    }
}
