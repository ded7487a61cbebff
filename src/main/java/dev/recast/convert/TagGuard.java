package dev.recast.convert;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.model.Content;
import dev.recast.model.Digest;
import dev.recast.registry.reference.ImageReference;
import dev.recast.registry.store.ImageStore;

import java.util.Optional;

/**
 * A conversion in place: its target tag is the source's own tag, or, for a source pinned by digest alone, a tag of
 * the same repository that names that digest. Such a run must keep the tag readable by old clients (variants)
 * or be forced, and moves the tag only if it still names the digest that was read — a concurrent push wins.
 * Registries offer no conditional manifest PUT, so the check is made right before the write; the gap left is one
 * request long.
 */
public final class TagGuard {
    private final String tag;
    private final Digest read;
    private final String image;

    private TagGuard(String tag, Digest read, String image) {
        this.tag = tag;
        this.read = read;
        this.image = image;
    }

    /**
     * The guard when converting {@code source} (read as {@code sourceContent}) into {@code target} is in place;
     * empty otherwise.
     *
     * @param existing what the target tag named when the run started
     */
    static Optional<TagGuard> forInPlace(ImageReference source, ImageReference target, Content sourceContent,
                                         Optional<Content> existing) {
        // a source pinned by digest only (a webhook's pushed image) is in place when the target tag names it
        boolean inPlace = mayBeInPlace(source, target) && (source.tag() != null
                || existing.map(e -> e.digest().equals(sourceContent.digest())).orElse(false));
        return inPlace ? Optional.of(new TagGuard(target.tag(), sourceContent.digest(), target.toString()))
                : Optional.empty();
    }

    /**
     * Whether converting {@code source} into {@code target} may be in place, known before anything is read: the same
     * repository and tag, or a source pinned by digest alone into a tag of its repository (in place when that tag
     * names the digest, which only the registry can say).
     */
    public static boolean mayBeInPlace(ImageReference source, ImageReference target) {
        return target.tag() != null && source.withTag(target.tag()).equals(target)
                && (source.tag() == null || source.tag().equals(target.tag()));
    }

    /** Refuses a conversion in place that would leave old clients (without zstd) nothing to pull, unless forced. */
    void requireConsent(ConversionOptions options) {
        if (options.variants().isEmpty() && !options.force()) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "converting in place would replace tag " + tag
                    + " (" + read + ") with an image clients without " + options.compression().label()
                    + " support cannot pull; keep a gzip variant in the tag with --variants gzip,zstd "
                    + "(REST \"variants\": [\"gzip\",\"zstd\"]), or replace it anyway with --force (REST \"force\": true)",
                    image, null, null);
        }
    }

    /** Re-reads the tag right before it is moved: refuses (CONFLICT) when it no longer names the digest read. */
    void check(ImageStore target) {
        Optional<Digest> now = target.findManifest(tag).map(Content::digest);
        if (!now.equals(Optional.of(read))) {
            throw new RecastException(ErrorKind.CONFLICT, "tag " + tag + " was " + read + " when the conversion read "
                    + "it but is now " + now.map(Digest::toString).orElse("gone") + ": a concurrent push wins, the tag "
                    + "was not moved (convert again to convert the new image)", image, null, null);
        }
    }
}
