package dev.recast.registry.referrers;

import dev.recast.model.Content;
import dev.recast.model.Descriptor;
import dev.recast.model.Digest;
import dev.recast.model.ImageManifest;
import dev.recast.model.Index;
import dev.recast.model.Manifest;
import dev.recast.registry.store.ImageStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Lists what is attached to one manifest of a store: OCI 1.1 referrers (the referrers API where the store has it,
 * else the fallback tag index) and cosign's tags {@code sha256-<hex>.sig|.att|.sbom}.
 */
public final class ReferrerDiscovery {
    /** cosign's tag suffixes and what each holds. */
    private static final Map<String, ReferrerKind> COSIGN_SUFFIXES = Map.of("sig", ReferrerKind.SIGNATURE,
            "att", ReferrerKind.ATTESTATION, "sbom", ReferrerKind.SBOM);

    public List<Referrer> discover(ImageStore store, Digest subject) {
        return discover(store, subject, null);
    }

    /** Referrers of {@code subject}; with an {@code artifactType}, only those of that type. */
    public List<Referrer> discover(ImageStore store, Digest subject, String artifactType) {
        List<Referrer> found = new ArrayList<>();
        Optional<List<Descriptor>> api = store.findReferrers(subject, artifactType);
        ReferrerSource source = api.isPresent() ? ReferrerSource.API : ReferrerSource.FALLBACK_TAG;
        List<Descriptor> listed = api.orElseGet(() -> FallbackIndex.read(store, subject).map(Index::manifests)
                .orElse(List.of()));
        for (Descriptor descriptor : listed) {
            found.add(listedReferrer(store, subject, descriptor, source));
        }
        for (String suffix : List.of("sig", "att", "sbom")) {
            String tag = ReferrerTags.cosign(subject, suffix);
            store.findManifest(tag).ifPresent(content -> found.add(cosignReferrer(subject, content, tag,
                    COSIGN_SUFFIXES.get(suffix))));
        }
        return artifactType == null ? found
                : found.stream().filter(r -> artifactType.equals(r.artifactType())).toList();
    }

    /**
     * A referrer an index lists. Its artifact type says what it is; when that says nothing Recast knows (or is
     * missing), the manifest's own types (config, layers) are read too.
     */
    private static Referrer listedReferrer(ImageStore store, Digest subject, Descriptor descriptor,
                                           ReferrerSource source) {
        String artifactType = descriptor.artifactType();
        ReferrerKind kind = ReferrerKind.of(artifactType);
        if (kind == ReferrerKind.OTHER) {
            ImageManifest manifest = ImageManifest.parse(store.requireManifest(descriptor.digest().toString()));
            if (artifactType == null) {
                artifactType = FallbackIndex.artifactType(manifest);
            }
            List<String> types = new ArrayList<>();
            types.add(artifactType);
            types.addAll(contentTypes(manifest));
            kind = ReferrerKind.ofAny(types);
        }
        return new Referrer(subject, descriptor, artifactType, kind, source, null);
    }

    /** A cosign tag's manifest: its kind is the tag's suffix, its artifact type that of its payload. */
    private static Referrer cosignReferrer(Digest subject, Content content, String tag, ReferrerKind kind) {
        ImageManifest manifest = ImageManifest.parse(content);
        String artifactType = switch (manifest) {
            case Manifest m when m.artifactType() != null -> m.artifactType();
            case Manifest m when !m.layers().isEmpty() -> m.layers().getFirst().mediaType().value();
            default -> FallbackIndex.artifactType(manifest);
        };
        Descriptor descriptor = content.descriptor().withAnnotations(manifest.annotations());
        return new Referrer(subject, descriptor, artifactType, kind, ReferrerSource.COSIGN_TAG, tag);
    }

    private static List<String> contentTypes(ImageManifest manifest) {
        return switch (manifest) {
            case Manifest m -> {
                List<String> types = new ArrayList<>();
                types.add(m.config().mediaType().value());
                m.layers().forEach(layer -> types.add(layer.mediaType().value()));
                yield types;
            }
            case Index i -> i.manifests().stream().map(d -> d.artifactType() == null ? d.mediaType().value()
                    : d.artifactType()).toList();
        };
    }
}
