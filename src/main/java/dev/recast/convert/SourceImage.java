package dev.recast.convert;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.model.Content;
import dev.recast.model.Digest;
import dev.recast.registry.reference.ImageReference;

import java.util.Optional;

/**
 * The image a conversion reads: a reference, and its manifest when the caller has already read it (a webhook job
 * that checked the pushed tag), so that it is read once, not again by the conversion.
 *
 * @param manifest what the reference names, or null when the conversion is to read it
 */
public record SourceImage(ImageReference reference, Content manifest) {

    public static SourceImage of(ImageReference reference) {
        return new SourceImage(reference, null);
    }

    /** An image whose manifest was read already: the reference is pinned to that manifest's digest. */
    public static SourceImage read(ImageReference reference, Content manifest) {
        String named = reference.reference();
        if (named != null && Digest.isDigest(named) && !Digest.parse(named).equals(manifest.digest())) {
            throw new RecastException(ErrorKind.DIGEST_MISMATCH, "the manifest given for " + reference + " is "
                    + manifest.digest());
        }
        return new SourceImage(reference.atDigest(manifest.digest()), manifest);
    }

    /** The manifest, when the caller read it already. */
    public Optional<Content> known() {
        return Optional.ofNullable(manifest);
    }

    @Override
    public String toString() {
        return reference.toString();
    }
}
