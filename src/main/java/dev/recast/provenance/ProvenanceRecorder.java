package dev.recast.provenance;

import dev.recast.RecastException;
import dev.recast.convert.ConversionOptions;
import dev.recast.convert.ConversionReport;
import dev.recast.convert.ImageReport;
import dev.recast.convert.LayerReport;
import dev.recast.model.Content;
import dev.recast.model.Digest;
import dev.recast.provenance.ConversionProvenance.LayerLink;
import dev.recast.provenance.ConversionProvenance.ManifestLink;
import dev.recast.registry.reference.ImageReference;
import dev.recast.registry.referrers.ReferrerArtifact;
import dev.recast.registry.referrers.ReferrerAttacher;
import dev.recast.registry.store.ImageStore;
import dev.recast.registry.store.SideBySide;
import dev.recast.registry.store.StoreFactory;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Records how a conversion was made: one provenance artifact per converted image manifest, and one for the converted
 * index when the source was a list, each attached to the converted manifest it is about (referrers). Only runs that
 * wrote a new image record anything: a dry run wrote nothing, an unchanged source was not converted, and an image
 * the target already held got its provenance from the run that wrote it.
 */
public final class ProvenanceRecorder {
    private static final Logger LOG = Logger.getLogger(ProvenanceRecorder.class);
    private final StoreFactory stores;
    private final ReferrerAttacher attacher;

    public ProvenanceRecorder(StoreFactory stores, ReferrerAttacher attacher) {
        this.stores = stores;
        this.attacher = attacher;
    }

    /** One provenance attached: the artifact manifest, and the converted manifest it is about. */
    public record Recorded(Digest artifact, Digest subject) {
    }

    /**
     * {@code report} with a note per provenance attached, when {@code options} ask for provenance. The image is
     * written and tagged by now: a failure to attach does not undo it, it is noted (and logged) instead, and
     * {@code recast verify} then finds no provenance.
     */
    public ConversionReport recorded(ConversionReport report, ConversionOptions options) {
        if (!options.provenance()) {
            return report;
        }
        try {
            ConversionReport noted = report;
            for (Recorded recorded : record(report, options)) {
                noted = noted.withNote("provenance " + recorded.artifact() + " attached to " + recorded.subject());
            }
            return noted;
        } catch (RecastException e) {
            LOG.warnf("provenance target=%s outcome=failed kind=%s error=%s", report.target(), e.kind(), e.getMessage());
            return report.withNote("provenance not attached: " + e.getMessage());
        }
    }

    /** Attaches the provenance of {@code report}'s conversion, whatever the options say. */
    public List<Recorded> record(ConversionReport report, ConversionOptions options) {
        if (report.outcome() != ConversionReport.Outcome.CONVERTED) {
            return List.of();
        }
        try (ImageStore target = stores.open(ImageReference.parse(report.target()))) {
            // each provenance is about another manifest, so goes into another fallback index: attached side by side
            List<Supplier<Recorded>> attaching = new ArrayList<>();
            for (ImageReport image : report.images()) {
                if (!image.targetDigest().equals(image.sourceDigest())) {
                    attaching.add(() -> attach(target, ofImage(report, image, options.label()), options));
                }
            }
            if (report.targetMediaType().isIndex()) {
                attaching.add(() -> attach(target, ofIndex(report, options.label()), options));
            }
            if (attaching.size() > 1) {
                attacher.prepareSideBySide(target);
            }
            return SideBySide.all(attaching);
        }
    }

    private Recorded attach(ImageStore target, ConversionProvenance provenance, ConversionOptions options) {
        Content subject = target.requireManifest(provenance.subject().toString());
        ReferrerArtifact artifact = ProvenanceArtifact.of(subject.descriptor(),
                ProvenanceStatement.write(provenance, options));
        return new Recorded(attacher.attach(target, artifact).referrer(), provenance.subject());
    }

    static ConversionProvenance ofImage(ConversionReport report, ImageReport image, String label) {
        List<LayerLink> layers = new ArrayList<>();
        for (LayerReport layer : image.layers()) {
            layers.add(new LayerLink(layer.index(), layer.sourceDigest(), layer.sourceMediaType(), layer.targetDigest(),
                    layer.targetMediaType(), layer.targetSize(), layer.diffId(), layer.action().name()));
        }
        return new ConversionProvenance(report.target(), image.targetDigest(), image.targetMediaType(), report.source(),
                report.sourceDigest(), image.sourceDigest(), image.sourceMediaType(), label,
                RecastVersion.current(), image.configDigest(), layers, List.of());
    }

    static ConversionProvenance ofIndex(ConversionReport report, String label) {
        List<ManifestLink> children = report.images().stream().map(image -> new ManifestLink(
                image.platform() == null ? "unknown" : image.platform().toString(), image.sourceDigest(),
                image.targetDigest())).toList();
        return new ConversionProvenance(report.target(), report.targetDigest(), report.targetMediaType(),
                report.source(), report.sourceDigest(), report.sourceDigest(), report.sourceMediaType(),
                label, RecastVersion.current(), null, List.of(), children);
    }
}
