package dev.recast.convert;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.model.Compression;
import dev.recast.model.Content;
import dev.recast.model.Descriptor;
import dev.recast.model.Digest;
import dev.recast.model.ImageManifest;
import dev.recast.model.Index;
import dev.recast.model.Manifest;
import dev.recast.model.MediaType;
import dev.recast.model.Platform;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds a variants index: for each platform of the source, its gzip image (the source manifest itself, or in
 * {@link VariantsFormat#OCI} an OCI manifest naming the same blobs) and its zstd conversion, marked with
 * {@link RecastAnnotations#ZSTD_VARIANT}. Laid out as containers/image's {@code EditInstances} sorts a podman
 * {@code --add-compression} index: every gzip entry first (in source order), then every zstd entry — so a client
 * that takes the first entry of its platform (containerd, Docker) pulls gzip, and one that prefers zstd
 * (containers/image ≥ 5.25) finds it. The gzip blobs are never recompressed nor, in the same repository, rewritten.
 */
final class VariantsBuilder {
    private static final String ATTESTATION_DIGEST = "vnd.docker.reference.digest";
    private static final Map<String, String> ZSTD_MARK = Map.of(RecastAnnotations.ZSTD_VARIANT, "true");

    private final ConversionRun run;
    private final ManifestConverter images;
    private final TreeCopier trees;
    private final EarlierResults earlier;
    /** Each source image's two variants, by source digest: an index may list one image more than once. */
    private final Map<Digest, Pair> done = new HashMap<>();

    private record Pair(Content gzip, Content zstd, Platform platform) {
    }

    VariantsBuilder(ConversionRun run, ManifestConverter images, TreeCopier trees, EarlierResults earlier) {
        this.run = run;
        this.images = images;
        this.trees = trees;
        this.earlier = earlier;
    }

    /** The variants index of what a reference names (parsed and checked), written but for the index itself. */
    Content build(ImageManifest parsed) {
        if (earlier.isOwnResult(parsed.content())) {
            run.report().note(parsed.digest() + " is already a variants index made by Recast: copied unchanged");
            return trees.copy(parsed.content(), 1);
        }
        if (parsed instanceof Manifest image) {
            Pair pair = variants(image, null);
            return Index.create(MediaType.OCI_INDEX, null, List.of(entry(null, pair.gzip(), pair.platform(), Map.of()),
                            entry(null, pair.zstd(), pair.platform(), ZSTD_MARK)), null,
                    run.resultAnnotations(Map.of(), parsed.content())).content();
        }
        Index index = (Index) parsed;
        List<Descriptor> gzip = new ArrayList<>();
        List<Descriptor> zstd = new ArrayList<>();
        List<Descriptor> others = new ArrayList<>();
        Map<Digest, Digest> gzipOf = new HashMap<>();
        for (Descriptor child : index.manifests()) {
            if (isAttestation(child)) {
                continue;
            }
            if (!isWanted(child.platform())) {
                run.report().note("left out " + child.digest() + " (" + child.platform()
                        + "): not among the requested platforms");
                continue;
            }
            ImageManifest childParsed = run.parsed(run.readChild(child), 2);
            if (!(childParsed instanceof Manifest image) || !image.isContainerImage()) {
                run.manifests().byDigest(trees.copy(childParsed.content(), 2));
                run.report().note(child.digest() + " is not a container image: listed once, unchanged");
                others.add(child);
                continue;
            }
            Pair pair = variants(image, child.platform());
            gzipOf.put(child.digest(), pair.gzip().digest());
            gzip.add(entry(child, pair.gzip(), pair.platform(), Map.of()));
            zstd.add(entry(child, pair.zstd(), pair.platform(), ZSTD_MARK));
        }
        if (gzip.isEmpty()) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "no image of the index matches the requested platforms "
                    + run.options().platforms(), run.imageName(), null, null);
        }
        for (Descriptor attestation : index.manifests()) {
            if (isAttestation(attestation)) {
                attestationFor(attestation, gzipOf).ifPresent(others::add);
            }
        }
        List<Descriptor> entries = new ArrayList<>(gzip);
        entries.addAll(zstd);
        entries.addAll(others);
        return Index.create(MediaType.OCI_INDEX, index.artifactType(), entries, index.subject(),
                run.resultAnnotations(index.annotations(), index.content())).content();
    }

    /** Writes both variants of one image (by digest) and returns them, with the platform the index gives them. */
    private Pair variants(Manifest image, Platform indexPlatform) {
        Pair known = done.get(image.digest());
        if (known != null) {
            return known;
        }
        requireGzipLayers(image);
        Content zstd = images.convert(image, indexPlatform);
        run.manifests().byDigest(zstd);
        Platform platform = indexPlatform != null ? indexPlatform : reportedPlatform(image.digest());
        trees.copy(image.content(), 2);
        Content gzip = run.options().variantsFormat() == VariantsFormat.OCI ? ociGzip(image) : image.content();
        if (run.target().findManifest(gzip.digest().toString()).isEmpty()) {
            run.manifests().byDigest(gzip);
        }
        run.report().note(platform + ": gzip variant " + gzip.digest() + (gzip.equals(image.content())
                ? " (the source manifest, unchanged)" : " (an OCI manifest of the source's gzip blobs)")
                + ", zstd variant " + zstd.digest());
        Pair pair = new Pair(gzip, zstd, platform);
        done.put(image.digest(), pair);
        return pair;
    }

    /** The gzip image as an OCI manifest: the same config bytes and gzip blobs, typed as OCI. */
    private Content ociGzip(Manifest image) {
        if (image.mediaType().equals(MediaType.OCI_MANIFEST)) {
            return image.content();
        }
        List<Descriptor> layers = image.layers().stream().map(layer -> layer.withMediaType(layer.mediaType()
                .isForeignLayer() ? MediaType.ociForeignLayer(Compression.GZIP) : MediaType.OCI_LAYER_GZIP)).toList();
        Descriptor config = image.config().mediaType().equals(MediaType.DOCKER_CONFIG)
                ? image.config().withMediaType(MediaType.OCI_CONFIG) : image.config();
        return Manifest.create(MediaType.OCI_MANIFEST, image.artifactType(), config, layers, image.subject(),
                run.resultAnnotations(image.annotations(), image.content())).content();
    }

    private void requireGzipLayers(Manifest image) {
        for (int i = 0; i < image.layers().size(); i++) {
            Descriptor layer = image.layers().get(i);
            if (layer.mediaType().layerCompression() != Compression.GZIP) {
                throw new RecastException(ErrorKind.UNSUPPORTED, "the gzip variant is the source image itself, but "
                        + "layer " + i + " of " + image.digest() + " is " + layer.mediaType()
                        + ": variants need a source with gzip layers", run.imageName(), layer.digest().toString(), null);
            }
        }
    }

    /** The platform the converter found in the image's config (a single image has no index entry to give one). */
    private Platform reportedPlatform(Digest image) {
        return run.report().images().stream().filter(r -> r.sourceDigest().equals(image)).map(ImageReport::platform)
                .findFirst().orElse(null);
    }

    private static Descriptor entry(Descriptor child, Content manifest, Platform platform, Map<String, String> extra) {
        Map<String, String> annotations = new LinkedHashMap<>(child == null ? Map.of() : child.annotations());
        annotations.putAll(extra);
        return new Descriptor(manifest.mediaType(), manifest.digest(), manifest.size(), List.of(), annotations,
                platform, null);
    }

    /** An attestation copied and pointed at its image's gzip variant (the image it was made for, in SOURCE format). */
    private Optional<Descriptor> attestationFor(Descriptor attestation, Map<Digest, Digest> gzipOf) {
        String named = attestation.annotations().getOrDefault(ATTESTATION_DIGEST, "");
        Digest subject = Digest.isDigest(named) ? Digest.parse(named) : null;
        if (subject == null || !gzipOf.containsKey(subject)) {
            run.report().note("left out attestation " + attestation.digest()
                    + ": the image it describes is not in the result");
            return Optional.empty();
        }
        run.manifests().byDigest(trees.copy(attestation, 2));
        Map<String, String> annotations = new LinkedHashMap<>(attestation.annotations());
        annotations.put(ATTESTATION_DIGEST, gzipOf.get(subject).toString());
        return Optional.of(attestation.withAnnotations(annotations));
    }

    private boolean isWanted(Platform platform) {
        return run.options().platforms().isEmpty()
                || platform != null && run.options().platforms().stream().anyMatch(platform::matches);
    }

    private static boolean isAttestation(Descriptor child) {
        return child.platform() != null && child.platform().isUnknown()
                && child.annotations().containsKey(ATTESTATION_DIGEST);
    }
}
