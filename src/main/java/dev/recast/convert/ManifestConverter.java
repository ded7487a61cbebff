package dev.recast.convert;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.model.Content;
import dev.recast.model.Descriptor;
import dev.recast.model.ImageConfig;
import dev.recast.model.Manifest;
import dev.recast.model.MediaType;
import dev.recast.model.Platform;

import java.util.ArrayList;
import java.util.List;

/**
 * Converts one image: its layers in parallel, its config copied unchanged (typed as the format wants), its manifest
 * rewritten as OCI (or, the way back, as Docker v2s2). Returns the new manifest without writing it; its caller decides
 * how (by digest as a child, by tag as the result).
 */
final class ManifestConverter {
    private final ConversionRun run;
    private final BlobCopier blobs;
    private final TreeCopier trees;
    private final LayerScheduler layers;
    private final V2s2ManifestWriter v2s2;

    ManifestConverter(ConversionRun run, BlobCopier blobs, TreeCopier trees, LayerScheduler layers) {
        this.run = run;
        this.blobs = blobs;
        this.trees = trees;
        this.layers = layers;
        this.v2s2 = new V2s2ManifestWriter(run);
    }

    /** @param indexPlatform the platform the index gives the image, or null (then its config's) */
    Content convert(Manifest manifest, Platform indexPlatform) {
        ManifestFormat format = run.options().format();
        if (format == ManifestFormat.V2S2) {
            v2s2.requireImage(manifest);
        }
        if (!manifest.isContainerImage()) {
            trees.copy(manifest.content(), 1);
            run.report().note(manifest.digest() + " is not a container image (config " + manifest.config().mediaType()
                    + "): copied unchanged");
            return manifest.content();
        }
        ImageConfig config = blobs.readConfig(manifest.config());
        if (config.diffIds().size() != manifest.layers().size()) {
            throw new RecastException(ErrorKind.INVALID_IMAGE, "config " + config.digest() + " lists "
                    + config.diffIds().size() + " diff_ids for " + manifest.layers().size() + " layers",
                    run.imageName(), null, null);
        }
        LayerScheduler.Pending pending = layers.start(manifest.layers(), config.diffIds());
        try {
            blobs.copyConfig(manifest.config(), config);
        } catch (RuntimeException e) {
            throw pending.failed(e);
        }
        List<LayerOutcome> outcomes = pending.await();

        List<Descriptor> newLayers = new ArrayList<>();
        List<LayerReport> reports = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            Descriptor before = manifest.layers().get(i);
            LayerOutcome outcome = outcomes.get(i);
            Descriptor after = outcome.applyTo(before);
            newLayers.add(after);
            reports.add(new LayerReport(i, outcome.action(), before.mediaType(), before.digest(), before.size(),
                    after.mediaType(), after.digest(), after.size(), config.diffIds().get(i), outcome.millis(),
                    outcome.note()));
        }
        Descriptor newConfig = manifest.config().withMediaType(format.configType());
        Content result;
        if (format == ManifestFormat.V2S2) {
            result = v2s2.image(manifest, newConfig, newLayers);
        } else if (manifest.mediaType().equals(MediaType.OCI_MANIFEST) && newLayers.equals(manifest.layers())
                && newConfig.equals(manifest.config())) {
            result = manifest.content();
        } else {
            result = Manifest.create(MediaType.OCI_MANIFEST, manifest.artifactType(), newConfig, newLayers,
                    manifest.subject(), run.resultAnnotations(manifest.annotations(), manifest.content())).content();
        }
        Platform platform = indexPlatform != null ? indexPlatform : config.platform();
        run.report().image(new ImageReport(platform, manifest.mediaType(), manifest.digest(), result.mediaType(),
                result.digest(), config.digest(), reports, null));
        return result;
    }
}
