package dev.recast.inspect;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.convert.ImageConverter;
import dev.recast.convert.RecastAnnotations;
import dev.recast.convert.SourceImage;
import dev.recast.inspect.ImageInspection.AttachedReferrer;
import dev.recast.inspect.ImageInspection.Layer;
import dev.recast.inspect.ImageInspection.PlatformImage;
import dev.recast.model.Compression;
import dev.recast.model.Content;
import dev.recast.model.Descriptor;
import dev.recast.model.Digest;
import dev.recast.model.ImageManifest;
import dev.recast.model.Index;
import dev.recast.model.Manifest;
import dev.recast.model.MediaType;
import dev.recast.model.Platform;
import dev.recast.provenance.ProvenanceFinder;
import dev.recast.provenance.ProvenanceSummary;
import dev.recast.registry.reference.ImageReference;
import dev.recast.registry.referrers.Referrer;
import dev.recast.registry.referrers.ReferrerDiscovery;
import dev.recast.registry.referrers.ReferrerKind;
import dev.recast.registry.store.ImageConfigReader;
import dev.recast.registry.store.ImageStore;
import dev.recast.registry.store.StoreFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads an image or index and says what it is made of; reads manifests and configs only, never layers, each once,
 * and refuses what is over the limits as soon as it is parsed.
 */
public final class ImageInspector {
    private final StoreFactory stores;
    private final ImageConverter.Limits limits;
    private final ReferrerDiscovery discovery = new ReferrerDiscovery();
    private final ProvenanceFinder provenance = new ProvenanceFinder(discovery);

    public ImageInspector(StoreFactory stores, ImageConverter.Limits limits) {
        this.stores = stores;
        this.limits = limits;
    }

    public ImageInspection inspect(ImageReference reference) {
        return inspect(SourceImage.of(reference));
    }

    /** Inspects an image whose manifest the caller may have read already (then it is not read again). */
    public ImageInspection inspect(SourceImage image) {
        ImageReference reference = image.reference();
        String name = reference.toString();
        try (ImageStore store = stores.open(reference)) {
            Content content = image.known().orElseGet(() -> store.requireManifest(reference.reference()));
            ImageManifest parsed = limits.parse(content, 1, name);
            List<PlatformImage> platforms = new ArrayList<>();
            if (parsed instanceof Index index) {
                Map<Digest, ImageManifest> children = new HashMap<>();
                Map<Descriptor, PlatformImage> images = new HashMap<>();
                for (Descriptor child : index.manifests()) {
                    ImageManifest entry = children.computeIfAbsent(child.digest(), digest -> read(store,
                            digest.toString(), 2, name));
                    if (entry instanceof Manifest manifest) {
                        platforms.add(images.computeIfAbsent(child, c -> image(store, manifest, c.platform())));
                    }
                }
            } else {
                platforms.add(image(store, (Manifest) parsed, null));
            }
            return describe(name, parsed, platforms);
        } catch (RecastException e) {
            throw e.in(name, null);
        }
    }

    /**
     * The one image of {@code reference} for {@code wanted} (a platform without variant matches any variant): the
     * first entry of an index that matches, named by its digest, or a single image whose config matches; else
     * NOT_FOUND naming the platforms there are.
     */
    public ImageInspection inspect(ImageReference reference, Platform wanted) {
        String name = reference.toString();
        try (ImageStore store = stores.open(reference)) {
            ImageManifest parsed = read(store, reference.reference(), 1, name);
            if (parsed instanceof Index index) {
                Descriptor child = index.manifests().stream()
                        .filter(d -> d.platform() != null && d.platform().matches(wanted)).findFirst()
                        .orElseThrow(() -> new RecastException(ErrorKind.NOT_FOUND, "the index has no image for " + wanted
                                + "; it has " + index.manifests().stream().map(d -> String.valueOf(d.platform())).toList(),
                                name, null, null));
                String childName = reference.atDigest(child.digest()).toString();
                ImageManifest entry = read(store, child.digest().toString(), 2, name);
                if (!(entry instanceof Manifest manifest)) {
                    throw new RecastException(ErrorKind.UNSUPPORTED, "the entry for " + wanted + " is itself an index",
                            childName, null, null);
                }
                return describe(childName, manifest, List.of(image(store, manifest, child.platform())));
            }
            PlatformImage image = image(store, (Manifest) parsed, null);
            if (image.platform() == null || !image.platform().matches(wanted)) {
                throw new RecastException(ErrorKind.NOT_FOUND, "the image is for " + image.platform() + ", not " + wanted,
                        name, null, null);
            }
            return describe(name, parsed, List.of(image));
        }
    }

    /**
     * The inspection with what is attached to the image and to each of its platform images, by kind: the referrers
     * API or fallback tag index, and cosign's tags; and the provenance Recast attached to the image, in short.
     */
    public ImageInspection withReferrers(ImageInspection inspection, ImageReference reference) {
        Set<Digest> subjects = new LinkedHashSet<>();
        subjects.add(inspection.digest());
        inspection.platforms().forEach(p -> subjects.add(p.digest()));
        Map<ReferrerKind, List<AttachedReferrer>> byKind = new TreeMap<>();
        ProvenanceSummary summary = null;
        try (ImageStore store = stores.open(reference)) {
            for (Digest subject : subjects) {
                List<Referrer> found = discovery.discover(store, subject);
                for (Referrer referrer : found) {
                    byKind.computeIfAbsent(referrer.kind(), kind -> new ArrayList<>()).add(new AttachedReferrer(
                            subject, referrer.digest(), referrer.artifactType(), referrer.foundIn()));
                }
                if (subject.equals(inspection.digest())) {
                    summary = provenance.among(store, subject, found).stream().findFirst().map(ProvenanceSummary::of)
                            .orElse(null);
                }
            }
        } catch (RecastException e) {
            throw e.in(reference.toString(), null);
        }
        return inspection.withReferrers(byKind).withProvenance(summary);
    }

    /** A manifest parsed and checked against the limits at its depth (1 the top, 2 an index entry), or NOT_FOUND. */
    private ImageManifest read(ImageStore store, String reference, int depth, String name) {
        return limits.parse(store.requireManifest(reference), depth, name);
    }

    private static ImageInspection describe(String name, ImageManifest parsed, List<PlatformImage> platforms) {
        Map<String, String> annotations = parsed.annotations();
        boolean ociZstd = parsed.mediaType().equals(MediaType.OCI_INDEX) || parsed.mediaType().equals(MediaType.OCI_MANIFEST);
        ociZstd &= platforms.stream().filter(p -> p.note() == null).allMatch(PlatformImage::ociZstd);
        return new ImageInspection(name, parsed.mediaType(), parsed.digest(), ociZstd, sourceDigest(annotations),
                annotations.get(RecastAnnotations.CONVERSION), platforms);
    }

    private PlatformImage image(ImageStore store, Manifest manifest, Platform fromIndex) {
        List<Layer> layers = manifest.layers().stream().map(l -> new Layer(l.mediaType(), l.digest(), l.size(),
                l.mediaType().layerCompression() == null ? null : l.mediaType().layerCompression().label())).toList();
        if (!manifest.isContainerImage()) {
            return new PlatformImage(fromIndex, manifest.mediaType(), manifest.digest(), false,
                    sourceDigest(manifest.annotations()), "not a container image (config " + manifest.config().mediaType()
                    + ")", layers);
        }
        Platform platform = fromIndex != null ? fromIndex
                : ImageConfigReader.read(store, manifest.config(), limits.configBytes()).platform();
        boolean ociZstd = manifest.mediaType().equals(MediaType.OCI_MANIFEST) && manifest.layers().stream()
                .filter(l -> !l.mediaType().isForeignLayer())
                .allMatch(l -> l.mediaType().layerCompression() == Compression.ZSTD && !l.mediaType().isDocker());
        return new PlatformImage(platform, manifest.mediaType(), manifest.digest(), ociZstd,
                sourceDigest(manifest.annotations()), null, layers);
    }

    private static Digest sourceDigest(Map<String, String> annotations) {
        String value = annotations.get(RecastAnnotations.SOURCE_DIGEST);
        return value != null && Digest.isDigest(value) ? Digest.parse(value) : null;
    }
}
