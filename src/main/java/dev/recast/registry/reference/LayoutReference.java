package dev.recast.registry.reference;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.model.Digest;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * An image in an OCI layout directory: {@code oci:DIR[:TAG]} or {@code oci:DIR:sha256:HEX}. As in skopeo, the
 * directory ends at the first colon.
 */
public record LayoutReference(Path directory, String tag, Digest digest) implements ImageReference {

    public static LayoutReference parse(String text) {
        String rest = text.substring("oci:".length());
        int colon = rest.indexOf(':');
        String dir = colon < 0 ? rest : rest.substring(0, colon);
        String ref = colon < 0 ? null : rest.substring(colon + 1);
        if (dir.isEmpty()) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "'" + text + "' names no directory: expected oci:DIR[:TAG]");
        }
        Path directory;
        try {
            directory = Path.of(dir);
        } catch (InvalidPathException e) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "'" + text + "' names no usable directory: " + e.getReason());
        }
        // a name with whitespace at either end would not survive being printed and read back (references are trimmed)
        if (!dir.equals(dir.strip()) || !directory.toString().equals(directory.toString().strip())) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "the directory in '" + text
                    + "' begins or ends with whitespace");
        }
        if (ref == null || ref.isEmpty()) {
            return new LayoutReference(directory, null, null);
        }
        if (Digest.isDigest(ref)) {
            return new LayoutReference(directory, null, Digest.parse(ref));
        }
        if (!RegistryReference.TAG.matcher(ref).matches()) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "invalid tag '" + ref + "' in '" + text
                    + "': tags are [A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
        }
        return new LayoutReference(directory, ref, null);
    }

    @Override
    public String reference() {
        return digest != null ? digest.toString() : tag;
    }

    @Override
    public LayoutReference withTag(String newTag) {
        return new LayoutReference(directory, newTag, null);
    }

    @Override
    public LayoutReference atDigest(Digest pinned) {
        return new LayoutReference(directory, null, pinned);
    }

    @Override
    public String toString() {
        String ref = reference();
        return "oci:" + directory + (ref == null ? "" : ":" + ref);
    }
}
