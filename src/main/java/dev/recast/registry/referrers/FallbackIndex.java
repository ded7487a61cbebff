package dev.recast.registry.referrers;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.model.Content;
import dev.recast.model.Descriptor;
import dev.recast.model.Digest;
import dev.recast.model.ImageManifest;
import dev.recast.model.Index;
import dev.recast.model.Manifest;
import dev.recast.model.MediaType;
import dev.recast.registry.store.ImageStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The image-spec's referrers tag schema: where a registry has no referrers API, tag {@code sha256-<hex>} holds an OCI
 * index listing the manifests whose subject is that digest, each with its artifact type and annotations.
 */
final class FallbackIndex {
    private FallbackIndex() {
    }

    /** The index the fallback tag of {@code subject} holds; empty when there is none. */
    static Optional<Index> read(ImageStore store, Digest subject) {
        String tag = ReferrerTags.fallback(subject);
        return store.findManifest(tag).map(content -> {
            if (!(ImageManifest.parse(content) instanceof Index index)) {
                throw new RecastException(ErrorKind.CONFLICT, "tag " + tag + " of " + store.name()
                        + " is not a referrers index: Recast leaves it alone");
            }
            return index;
        });
    }

    static boolean lists(Optional<Index> index, Digest referrer) {
        return index.map(i -> i.manifests().stream().anyMatch(d -> d.digest().equals(referrer))).orElse(false);
    }

    /** The index with {@code entry} added, or put in place of an entry with the same digest. */
    static Index merge(Optional<Index> current, Descriptor entry) {
        List<Descriptor> manifests = new ArrayList<>();
        current.ifPresent(index -> index.manifests().stream()
                .filter(d -> !d.digest().equals(entry.digest())).forEach(manifests::add));
        manifests.add(entry);
        return Index.create(MediaType.OCI_INDEX, null, manifests, null, null);
    }

    /**
     * How the index lists a referrer: its descriptor with the artifact type (the manifest's own, else its config's
     * media type, as the image-spec says) and the manifest's annotations.
     */
    static Descriptor entry(ImageManifest referrer) {
        Descriptor plain = referrer.content().descriptor();
        String artifactType = artifactType(referrer);
        return new Descriptor(plain.mediaType(), plain.digest(), plain.size(), List.of(), referrer.annotations(), null,
                artifactType);
    }

    static String artifactType(ImageManifest referrer) {
        return switch (referrer) {
            case Manifest m -> m.artifactType() != null ? m.artifactType() : m.config().mediaType().value();
            case Index i -> i.artifactType();
        };
    }

    static Descriptor subject(ImageManifest referrer) {
        return switch (referrer) {
            case Manifest m -> m.subject();
            case Index i -> i.subject();
        };
    }
}
