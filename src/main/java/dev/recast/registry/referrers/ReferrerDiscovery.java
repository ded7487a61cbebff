package dev.recast.registry.referrers;

import dev.recast.RecastException;
import dev.recast.model.Content;
import dev.recast.model.Descriptor;
import dev.recast.model.Digest;
import dev.recast.model.ImageManifest;
import dev.recast.model.Index;
import dev.recast.model.Manifest;
import dev.recast.registry.store.ImageStore;
import dev.recast.registry.store.SideBySide;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Lists what is attached to one manifest of a store: OCI 1.1 referrers (the referrers API where the store has it,
 * else the fallback tag index) and cosign's tags {@code sha256-<hex>.sig|.att|.sbom}. A listing only claims: each
 * manifest it lists is read, must name the subject, and is classified by its own types; cosign's tags have no subject
 * and are taken only as found under the tag derived from the subject's digest.
 */
public final class ReferrerDiscovery {
    /** Most listed manifests read for one subject: as many as one index may list (recast.limits.index-entries). */
    static final int MAX_LISTED = 1024;
    /** cosign's tag suffixes and what each holds, in the order they are looked up and reported. */
    private static final List<Map.Entry<String, ReferrerKind>> COSIGN_SUFFIXES = List.of(
            Map.entry("sig", ReferrerKind.SIGNATURE), Map.entry("att", ReferrerKind.ATTESTATION),
            Map.entry("sbom", ReferrerKind.SBOM));

    public List<Referrer> discover(ImageStore store, Digest subject) {
        return discover(store, subject, null);
    }

    /** Referrers of {@code subject}; with an {@code artifactType}, only those of that type. */
    public List<Referrer> discover(ImageStore store, Digest subject, String artifactType) {
        List<Referrer> found = survey(store, subject, artifactType).accepted();
        return artifactType == null ? found
                : found.stream().filter(r -> artifactType.equals(r.artifactType())).toList();
    }

    /** All that is listed as attached to {@code subject}: the referrers taken, and what was not taken and why. */
    public DiscoveredReferrers survey(ImageStore store, Digest subject) {
        return survey(store, subject, null);
    }

    private static DiscoveredReferrers survey(ImageStore store, Digest subject, String artifactType) {
        List<String> tags = COSIGN_SUFFIXES.stream().map(suffix -> ReferrerTags.cosign(subject, suffix.getKey()))
                .toList();
        List<Referrer> found = new ArrayList<>();
        List<RejectedReferrer> rejected = new ArrayList<>();
        // the listing and cosign's three tags are independent lookups: asked at once (the listing fills found and
        // rejected, read here only once it has ended)
        List<Supplier<Optional<Content>>> lookups = new ArrayList<>();
        lookups.add(() -> {
            listedReferrers(store, subject, artifactType, found, rejected);
            return Optional.empty();
        });
        tags.forEach(tag -> lookups.add(() -> store.findManifest(tag)));
        List<Optional<Content>> answers = SideBySide.all(lookups);
        for (int i = 0; i < tags.size(); i++) {
            String tag = tags.get(i);
            Optional<Content> content = answers.get(i + 1);
            if (content.isPresent() && parsed(content.get()) == null) {
                rejected.add(new RejectedReferrer(subject, content.get().digest(), ReferrerSource.COSIGN_TAG,
                        "tag " + tag + " holds no readable manifest"));
            } else {
                ReferrerKind kind = COSIGN_SUFFIXES.get(i).getValue();
                content.ifPresent(c -> found.add(cosignReferrer(subject, c, tag, kind)));
            }
        }
        return new DiscoveredReferrers(found, rejected);
    }

    /** What the referrers API, or else the fallback tag, lists: each listed manifest read and checked. */
    private static void listedReferrers(ImageStore store, Digest subject, String artifactType, List<Referrer> found,
                                        List<RejectedReferrer> rejected) {
        Optional<List<Descriptor>> api = store.findReferrers(subject, artifactType);
        ReferrerSource source = api.isPresent() ? ReferrerSource.API : ReferrerSource.FALLBACK_TAG;
        List<Descriptor> listed = api.orElseGet(() -> fallbackEntries(store, subject, rejected));
        for (Descriptor descriptor : listed) {
            if (found.size() + rejected.size() == MAX_LISTED) {
                rejected.add(new RejectedReferrer(subject, descriptor.digest(), source, "more than " + MAX_LISTED
                        + " referrers listed: the rest were not read"));
                break;
            }
            Optional<Content> content = store.findManifest(descriptor.digest().toString());
            String problem = problem(store, subject, descriptor, content);
            if (problem == null) {
                found.add(listedReferrer(subject, content.get(), source));
            } else {
                rejected.add(new RejectedReferrer(subject, descriptor.digest(), source, problem));
            }
        }
    }

    /** What the fallback tag lists; a tag that holds no index is rejected (anyone who can push may have written it). */
    private static List<Descriptor> fallbackEntries(ImageStore store, Digest subject, List<RejectedReferrer> rejected) {
        String tag = ReferrerTags.fallback(subject);
        Optional<Content> content = store.findManifest(tag);
        if (content.isEmpty()) {
            return List.of();
        }
        if (parsed(content.get()) instanceof Index index) {
            return index.manifests();
        }
        rejected.add(new RejectedReferrer(subject, content.get().digest(), ReferrerSource.FALLBACK_TAG,
                "tag " + tag + " of " + store.name() + " is not a referrers index"));
        return List.of();
    }

    /**
     * Why a listed manifest is not a referrer of {@code subject}, or null when it is: the index (or a registry's
     * API) only claims it; the manifest itself must be there and name the subject.
     */
    private static String problem(ImageStore store, Digest subject, Descriptor listed, Optional<Content> content) {
        if (content.isEmpty()) {
            return "listed, but " + store.name() + " has no manifest " + listed.digest();
        }
        ImageManifest manifest = parsed(content.get());
        if (manifest == null) {
            return "manifest " + listed.digest() + " is not a readable manifest";
        }
        Descriptor named = FallbackIndex.subject(manifest);
        if (named == null || !subject.equals(named.digest())) {
            return "manifest " + listed.digest() + " names " + (named == null ? "no subject" : "subject " + named.digest())
                    + ", not " + subject;
        }
        return null;
    }

    /**
     * A referrer an index lists, whose manifest {@link #problem} found to name the subject. What it is comes from
     * that manifest (artifact type, else config type, and layer types), never from the index's claim; its annotations
     * too are the manifest's own.
     */
    private static Referrer listedReferrer(Digest subject, Content content, ReferrerSource source) {
        ImageManifest manifest = ImageManifest.parse(content);
        String artifactType = FallbackIndex.artifactType(manifest);
        List<String> types = new ArrayList<>();
        types.add(artifactType);
        types.addAll(contentTypes(manifest));
        Descriptor descriptor = content.descriptor().withAnnotations(manifest.annotations());
        return new Referrer(subject, descriptor, artifactType, ReferrerKind.ofAny(types), source, null);
    }

    /** The manifest or index {@code content} holds, or null when it holds neither. */
    private static ImageManifest parsed(Content content) {
        try {
            return ImageManifest.parse(content);
        } catch (RecastException e) {
            return null;
        }
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
