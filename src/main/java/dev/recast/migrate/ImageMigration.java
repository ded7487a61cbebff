package dev.recast.migrate;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.convert.Cancellation;
import dev.recast.convert.ConversionListener;
import dev.recast.convert.ConversionOptions;
import dev.recast.convert.ConversionReport;
import dev.recast.convert.ConvertedParts;
import dev.recast.convert.ImageConverter;
import dev.recast.convert.RecastAnnotations;
import dev.recast.convert.SourceImage;
import dev.recast.migrate.ImageResult.Status;
import dev.recast.model.Content;
import dev.recast.model.Digest;
import dev.recast.model.ImageManifest;
import dev.recast.provenance.ProvenanceRecorder;
import dev.recast.registry.ImageStores;
import dev.recast.registry.reference.RegistryReference;
import dev.recast.registry.referrers.ReferrerAttacher;
import dev.recast.registry.store.ImageStore;
import dev.recast.service.TargetTemplate;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Migrates one tag: reads its manifest once (the digest read is the one converted, even if the tag moves), leaves
 * Recast's own outputs alone, and converts; the converter itself recognises a target that already holds this
 * conversion (the registry is the only state). A dry run only compares the target's source-digest annotation.
 */
final class ImageMigration {
    private final ImageStores stores;
    private final ImageConverter converter;
    private final String registry;
    private final TargetTemplate template;
    private final Pattern tagPattern;
    private final ConversionOptions options;
    private final ProvenanceRecorder provenance;

    ImageMigration(ImageStores stores, ImageConverter converter, MigrationRequest request, TargetTemplate template) {
        this.stores = stores;
        this.converter = converter;
        this.registry = request.registry();
        this.template = template;
        this.tagPattern = request.tag();
        this.options = request.options();
        this.provenance = new ProvenanceRecorder(stores::open, new ReferrerAttacher());
    }

    ImageResult migrate(SourceTags.SourceTag source) {
        return migrate(source, new Cancellation());
    }

    /** As {@link #migrate(SourceTags.SourceTag)}, stopped by {@code cancellation} too (which the conversion ends). */
    ImageResult migrate(SourceTags.SourceTag source, Cancellation cancellation) {
        String repository = source.repository();
        String tag = source.tag();
        Digest digest = null;
        String target = null;
        try {
            RegistryReference tagged = new RegistryReference(registry, repository, tag, null);
            try (ImageStore store = stores.open(tagged)) {
                Optional<Content> read = store.findManifest(tag);
                if (read.isEmpty()) {
                    return ImageResult.without(repository, tag, Status.FAILED, null, null, ErrorKind.NOT_FOUND,
                            "the tag was deleted after it was listed");
                }
                Content manifest = read.get();
                digest = manifest.digest();
                Optional<String> convertedFrom = sourceDigestOf(manifest);
                if (convertedFrom.isPresent()) {
                    return ImageResult.without(repository, tag, Status.EXCLUDED, manifest.digest(), null, null,
                            "written by Recast (converted from " + convertedFrom.get() + ")");
                }
                RegistryReference targetRef = template.fill(registry, TargetTemplate.variables(tagPattern, registry, repository, tag));
                target = targetRef.toString();
                stores.checkWritable(targetRef);
                if (options.dryRun()) {
                    return plan(repository, tag, manifest, targetRef);
                }
                // a migrated image carries its provenance as every converted image does
                ConversionReport report = provenance.recorded(converter.convert(SourceImage.read(tagged, manifest),
                        targetRef, options, ConversionListener.NONE, ConvertedParts.NONE, cancellation), options);
                ImageResult result = ImageResult.of(repository, tag, report, movedNote(store, tag, manifest));
                return report.outcome() != ConversionReport.Outcome.ALREADY_CONVERTED ? result
                        : result.withBytes(LayerBytes.of(store, manifest), targetBytes(targetRef, report.targetDigest()));
            }
        } catch (RecastException e) {
            return ImageResult.without(repository, tag, Status.FAILED, digest, target, e.kind(), e.getMessage());
        } finally {
            cancellation.end(); // when no conversion ran to end it: its deadline must not outlive the image
        }
    }

    /** ALREADY_CONVERTED when the target names this digest as its source, else PLANNED; nothing is written. */
    private ImageResult plan(String repository, String tag, Content manifest, RegistryReference target) {
        boolean done;
        try (ImageStore targetStore = stores.open(target)) {
            done = targetStore.findManifest(target.tag()).flatMap(ImageMigration::sourceDigestOf)
                    .filter(manifest.digest().toString()::equals).isPresent();
        }
        return ImageResult.without(repository, tag, done ? Status.ALREADY_CONVERTED : Status.PLANNED,
                manifest.digest(), target.toString(), null, null);
    }

    /** What the target of an earlier run declares, so that a resumed migration still reports the whole savings. */
    private long targetBytes(RegistryReference target, Digest digest) {
        try (ImageStore targetStore = stores.open(target)) {
            return targetStore.findManifest(digest.toString()).map(c -> LayerBytes.of(targetStore, c)).orElse(0L);
        }
    }

    /** A note when the tag names another manifest now than the one converted. */
    private static String movedNote(ImageStore store, String tag, Content converted) {
        return store.findManifest(tag).map(Content::digest).filter(now -> !now.equals(converted.digest()))
                .map(now -> "the tag moved to " + now + " during the run; " + converted.digest() + " was converted")
                .orElse(null);
    }

    /** The source digest Recast annotates its results with, when this manifest is one. */
    private static Optional<String> sourceDigestOf(Content manifest) {
        try {
            return Optional.ofNullable(ImageManifest.parse(manifest).annotations().get(RecastAnnotations.SOURCE_DIGEST));
        } catch (RecastException e) {
            return Optional.empty(); // not a manifest Recast could have written: the conversion says what it is
        }
    }
}
