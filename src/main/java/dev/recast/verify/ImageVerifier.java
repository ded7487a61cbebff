package dev.recast.verify;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.convert.ImageConverter;
import dev.recast.model.Content;
import dev.recast.model.Descriptor;
import dev.recast.model.Digest;
import dev.recast.model.ImageConfig;
import dev.recast.model.ImageManifest;
import dev.recast.model.Index;
import dev.recast.model.Manifest;
import dev.recast.provenance.ConversionProvenance;
import dev.recast.provenance.ConversionProvenance.LayerLink;
import dev.recast.provenance.ConversionProvenance.ManifestLink;
import dev.recast.provenance.ProvenanceFinder;
import dev.recast.registry.reference.ImageReference;
import dev.recast.registry.store.ImageConfigReader;
import dev.recast.registry.store.ImageStore;
import dev.recast.registry.store.StoreFactory;
import dev.recast.verify.VerificationReport.Check;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Re-checks a converted image against the provenance attached to it, trusting neither Recast nor the provenance's
 * own claims beyond what the registry's content shows: the source still exists at the recorded digest, the config
 * is the source's (same digest), the layers are those the provenance maps, and each converted layer decompresses
 * to its recorded diff_id. An index is checked child by child, each against its own provenance.
 */
public final class ImageVerifier {
    private final StoreFactory stores;
    private final ProvenanceFinder finder;
    private final ImageConverter.Limits limits;
    private final LayerRehash rehash;

    public ImageVerifier(StoreFactory stores, ProvenanceFinder finder, ImageConverter.Limits limits) {
        this.stores = stores;
        this.finder = finder;
        this.limits = limits;
        this.rehash = new LayerRehash(limits.layerBytes(), limits.expansionRatio());
    }

    public VerificationReport verify(ImageReference target) {
        if (target.reference() == null) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "verify needs a tag or digest: " + target);
        }
        try (ImageStore store = stores.open(target)) {
            Content content = store.requireManifest(target.reference());
            ImageManifest manifest = limits.parse(content, 1, target.toString());
            List<Check> checks = new ArrayList<>();
            Digest artifact = verify(store, manifest, "", checks);
            return new VerificationReport(target.toString(), content.digest(), artifact, checks);
        }
    }

    /** Checks one manifest against its provenance; returns the provenance artifact's digest, or null when none. */
    private Digest verify(ImageStore store, ImageManifest manifest, String prefix, List<Check> checks) {
        List<ProvenanceFinder.Found> found = finder.find(store, manifest.digest());
        if (found.isEmpty()) {
            checks.add(Check.failed(prefix + "provenance", "no Recast provenance refers to " + manifest.digest()
                    + " in " + store.name()));
            return null;
        }
        ProvenanceFinder.Found chosen = found.getFirst();
        ConversionProvenance provenance = chosen.provenance();
        checks.add(provenance.subject().equals(manifest.digest())
                ? Check.passed(prefix + "provenance", chosen.artifact() + " records the conversion of "
                + provenance.source() + " (" + provenance.sourceManifest() + ") by Recast " + provenance.recastVersion())
                : Check.failed(prefix + "provenance", "provenance " + chosen.artifact() + " is about "
                + provenance.subject() + ", not " + manifest.digest()));
        Optional<ImageManifest> source = source(provenance, prefix, checks);
        switch (manifest) {
            case Manifest image -> verifyImage(store, image, provenance, source, prefix, checks);
            case Index index -> verifyIndex(store, index, provenance, prefix, checks);
        }
        return chosen.artifact();
    }

    /** The source manifest, read again from where the provenance says it was: it must still be there. */
    private Optional<ImageManifest> source(ConversionProvenance provenance, String prefix, List<Check> checks) {
        String name = prefix + "source";
        ImageReference pinned = ImageReference.parse(provenance.source()).atDigest(provenance.sourceManifest());
        try (ImageStore store = stores.open(pinned)) {
            Optional<Content> content = store.findManifest(provenance.sourceManifest().toString());
            if (content.isEmpty()) {
                checks.add(Check.failed(name, "the source " + pinned + " no longer exists"));
                return Optional.empty();
            }
            checks.add(Check.passed(name, pinned + " exists"));
            return Optional.of(limits.parse(content.get(), 1, pinned.toString()));
        } catch (RecastException e) {
            checks.add(Check.failed(name, "the source " + pinned + " cannot be read: " + e.getMessage()));
            return Optional.empty();
        }
    }

    private void verifyImage(ImageStore store, Manifest image, ConversionProvenance provenance,
                             Optional<ImageManifest> source, String prefix, List<Check> checks) {
        Digest config = image.config().digest();
        if (!config.equals(provenance.config())) {
            checks.add(Check.failed(prefix + "config", "the image's config is " + config + ", the provenance records "
                    + provenance.config()));
        } else if (source.isEmpty()) {
            checks.add(Check.skipped(prefix + "config", "the source cannot be read to compare its config"));
        } else if (!(source.get() instanceof Manifest sourceImage) || !sourceImage.config().digest().equals(config)) {
            checks.add(Check.failed(prefix + "config", "the image's config " + config + " is not the source's"
                    + (source.get() instanceof Manifest s ? " (" + s.config().digest() + ")" : "")));
        } else {
            checks.add(Check.passed(prefix + "config", config + " is the source's config, byte for byte"));
        }
        checks.add(layerMap(image, provenance, source, prefix));
        List<Digest> diffIds;
        try {
            ImageConfig parsed = ImageConfigReader.read(store, image.config(), limits.configBytes());
            diffIds = parsed.diffIds();
        } catch (RecastException e) {
            checks.add(Check.failed(prefix + "config", "cannot be read: " + e.getMessage()));
            return;
        }
        for (int i = 0; i < image.layers().size(); i++) {
            Descriptor layer = image.layers().get(i);
            String name = prefix + "layer " + i + " " + layer.digest();
            if (i >= provenance.layers().size() || i >= diffIds.size()) {
                checks.add(Check.failed(name, "neither the provenance nor the config may list it: they have "
                        + provenance.layers().size() + " and " + diffIds.size() + " layers"));
                continue;
            }
            checks.add(rehash.check(store, name, layer, provenance.layers().get(i).diffId(), diffIds.get(i)));
        }
    }

    /** The image's layers are the converted blobs the provenance maps, and the source's are the ones it maps from. */
    private static Check layerMap(Manifest image, ConversionProvenance provenance, Optional<ImageManifest> source,
                                  String prefix) {
        String name = prefix + "layers";
        List<LayerLink> links = provenance.layers();
        if (links.size() != image.layers().size()) {
            return Check.failed(name, "the image has " + image.layers().size() + " layers, the provenance maps "
                    + links.size());
        }
        List<Descriptor> sourceLayers = source.filter(Manifest.class::isInstance).map(m -> ((Manifest) m).layers())
                .orElse(null);
        for (int i = 0; i < links.size(); i++) {
            Descriptor layer = image.layers().get(i);
            LayerLink link = links.get(i);
            if (!layer.digest().equals(link.converted()) || !layer.mediaType().equals(link.convertedMediaType())) {
                return Check.failed(name, "layer " + i + " is " + layer.digest() + " (" + layer.mediaType()
                        + "), the provenance records " + link.converted() + " (" + link.convertedMediaType() + ")");
            }
            if (sourceLayers != null && (sourceLayers.size() != links.size()
                    || !sourceLayers.get(i).digest().equals(link.source()))) {
                return Check.failed(name, "layer " + i + " was converted from " + link.source()
                        + ", which is not the source's layer " + i);
            }
        }
        return Check.passed(name, links.size() + " layers, each the converted blob of the source's layer the "
                + "provenance maps it from");
    }

    private void verifyIndex(ImageStore store, Index index, ConversionProvenance provenance, String prefix,
                             List<Check> checks) {
        for (ManifestLink link : provenance.manifests()) {
            if (index.manifests().stream().noneMatch(child -> child.digest().equals(link.converted()))) {
                checks.add(Check.failed(prefix + link.platform(), "the provenance records " + link.converted()
                        + ", which the index does not list"));
            }
        }
        for (Descriptor child : index.manifests()) {
            String platform = child.platform() == null ? child.digest().toString() : child.platform().toString();
            Optional<ManifestLink> link = provenance.manifests().stream()
                    .filter(l -> l.converted().equals(child.digest())).findFirst();
            if (link.isPresent() && link.get().source().equals(link.get().converted())) {
                checks.add(Check.skipped(prefix + platform, child.digest() + " was already in the target form"));
            } else if (link.isPresent() || !finder.find(store, child.digest()).isEmpty()) {
                // a child converted by an earlier run (a Lambda fan-out's part) has a provenance of its own
                ImageManifest parsed = limits.parse(store.requireManifest(child.digest().toString()), 2,
                        store.name() + "@" + child.digest());
                verify(store, parsed, prefix + platform + " ", checks);
            } else {
                checks.add(Check.skipped(prefix + platform, child.digest() + " was not converted by Recast (an "
                        + "artifact copied as it is) and has no provenance"));
            }
        }
    }
}
