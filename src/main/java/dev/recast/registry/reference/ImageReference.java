package dev.recast.registry.reference;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.model.Digest;

import java.util.List;

/** Where an image is: {@code oci:DIR[:TAG]} or {@code [docker://]HOST[:PORT]/REPO[:TAG][@DIGEST]}. */
public sealed interface ImageReference permits LayoutReference, RegistryReference {

    /** Prefixes that name a transport other than a registry's (docker://). */
    List<String> OTHER_TRANSPORTS = List.of("oci:", "oci-archive:", "docker-archive:", "docker-daemon:", "dir:",
            "containers-storage:");

    /** The tag or digest to read, or null when the reference names neither. */
    String reference();

    String tag();

    /** The same image location with another tag (and no digest). */
    ImageReference withTag(String tag);

    /** The same repository, pinned to one manifest digest (and no tag). */
    ImageReference atDigest(Digest digest);

    static ImageReference parse(String text) {
        if (text == null || text.isBlank()) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "an image reference is required");
        }
        String trimmed = text.trim();
        if (trimmed.chars().anyMatch(Character::isISOControl)) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "image reference '" + trimmed.replaceAll("\\p{Cntrl}", "?")
                    + "' contains control characters");
        }
        if (trimmed.startsWith("oci:")) {
            return LayoutReference.parse(trimmed);
        }
        if (OTHER_TRANSPORTS.stream().anyMatch(trimmed::startsWith)) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "unsupported transport in '" + trimmed
                    + "': Recast reads and writes oci:DIR[:TAG] and [docker://]HOST/REPO[:TAG][@DIGEST]");
        }
        return RegistryReference.parse(trimmed);
    }
}
