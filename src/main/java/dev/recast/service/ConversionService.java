package dev.recast.service;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.convert.CacheChoice;
import dev.recast.convert.Cancellation;
import dev.recast.convert.ConversionListener;
import dev.recast.convert.ConversionOptions;
import dev.recast.convert.ConversionReport;
import dev.recast.convert.ConvertedParts;
import dev.recast.convert.ManifestFormat;
import dev.recast.convert.LayerAction;
import dev.recast.convert.SourceImage;
import dev.recast.index.IndexReport;
import dev.recast.index.IndexRequest;
import dev.recast.inspect.ImageInspection;
import dev.recast.model.Compression;
import dev.recast.model.Content;
import dev.recast.model.Descriptor;
import dev.recast.model.Platform;
import dev.recast.provenance.ProvenanceFinder;
import dev.recast.provenance.ProvenanceRecorder;
import dev.recast.registry.reference.ImageReference;
import dev.recast.registry.reference.LayoutReference;
import dev.recast.registry.referrers.ReferrerAttacher;
import dev.recast.registry.referrers.ReferrerDiscovery;
import dev.recast.registry.store.ImageStore;
import dev.recast.verify.ImageVerifier;
import dev.recast.verify.VerificationReport;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Optional;

/**
 * What the service does, whichever adapter (REST, webhook, Lambda) asks: checks the references against the
 * service's policy, holds a concurrency slot, runs the engine, and logs and counts the outcome.
 */
@ApplicationScoped
public class ConversionService {
    private static final Logger LOG = Logger.getLogger(ConversionService.class);
    private final RecastEngine engine;
    private final ConversionSlots slots;
    private final ServiceMetrics metrics;
    private final ProvenanceRecorder provenance;
    private final ServiceSigner signer;

    public ConversionService(RecastEngine engine, ConversionSlots slots, ServiceMetrics metrics, ServiceSigner signer) {
        this.engine = engine;
        this.slots = slots;
        this.metrics = metrics;
        this.signer = signer;
        // the engine is built on first use, not when this bean is
        this.provenance = new ProvenanceRecorder(reference -> engine.stores().open(reference), new ReferrerAttacher());
    }

    /** Parses a reference a caller gave, refusing layout directories unless the service allows them. */
    public ImageReference reference(String text) {
        ImageReference reference = ImageReference.parse(text);
        if (reference instanceof LayoutReference && !engine.config().api().layoutsEnabled()) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "oci: layout references are not accepted by this service "
                    + "(recast.api.layouts-enabled is off); name a registry image");
        }
        return reference;
    }

    /** The target when none is given: the source's repository, under {@link #defaultTargetTag its default tag}. */
    public ImageReference defaultTarget(ImageReference source) {
        if (source.tag() == null) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "the source " + source + " names no tag: give a target");
        }
        return source.withTag(defaultTargetTag(source.tag()));
    }

    /**
     * The tag a conversion writes when no target is given: the source's tag plus {@code recast.conversion.target-suffix}
     * ({@code v1} → {@code v1-oci}). Webhooks without rules use it too, with {@code {tag}} for the pushed tag.
     */
    public String defaultTargetTag(String sourceTag) {
        return sourceTag + engine.config().conversion().targetSuffix();
    }

    /** Refuses (400) a registry host this service may not contact, before anything is planned for it. */
    public void checkRegistry(String registry) {
        engine.stores().settings().hostPolicy().checkRegistry(registry);
    }

    /** True for the repository that holds the layer cache: its pushes are Recast's own entries, never images. */
    public boolean isLayerCache(String repository) {
        return repository.equals(engine.converter().layerCache().repository());
    }

    /** Options from a request, with the service's defaults for what it leaves out. */
    public ConversionOptions options(String compression, Integer level, List<String> platforms, Boolean dryRun) {
        return options(compression, level, platforms, dryRun, null);
    }

    /**
     * As {@link #options(String, Integer, List, Boolean)}, writing {@code format} manifests (null: OCI). The way back
     * (v2s2) takes gzip at its default level when the request names no compression, whatever the service's default.
     */
    public ConversionOptions options(String compression, Integer level, List<String> platforms, Boolean dryRun,
                                     String format) {
        ManifestFormat chosenFormat = format == null ? ManifestFormat.OCI : ManifestFormat.parse(format);
        boolean serviceDefaults = compression == null && chosenFormat == ManifestFormat.OCI;
        Compression chosen = compression != null ? Compression.parse(compression)
                : serviceDefaults ? Compression.parse(engine.config().conversion().compression()) : null;
        Integer effectiveLevel = level != null ? level
                : serviceDefaults ? engine.config().conversion().level().orElse(null) : null;
        List<Platform> parsed = platforms == null ? List.of() : platforms.stream().map(Platform::parse).toList();
        return new ConversionOptions(chosen, effectiveLevel, parsed, Boolean.TRUE.equals(dryRun), CacheChoice.ENGINE,
                chosenFormat);
    }

    /** Claims a slot now, so that a busy service refuses before anything starts (e.g. before a stream opens). */
    public ConversionSlots.Slot claimSlot() {
        return slots.acquire();
    }

    /** Up to {@code wanted} slots, at least one (else BUSY): one per conversion run at once. */
    public ConversionSlots.Claim claimSlots(int wanted) {
        return slots.acquireUpTo(wanted);
    }

    /** Runs a conversion in a slot the caller already holds. */
    public ConversionReport convertInSlot(ImageReference source, ImageReference target, ConversionOptions options,
                                          ConversionListener listener) {
        return convertInSlot(source, target, options, listener, ConvertedParts.NONE, new Cancellation());
    }

    /**
     * As {@link #convertInSlot}, reusing images of a list that earlier runs converted (a fan-out's parts), and stopped
     * by {@code cancellation} (e.g. a Lambda's time budget) as well as by the conversion timeout.
     */
    public ConversionReport convertInSlot(ImageReference source, ImageReference target, ConversionOptions options,
                                          ConversionListener listener, ConvertedParts parts, Cancellation cancellation) {
        return convertInSlot(SourceImage.of(source), target, options, listener, parts, cancellation);
    }

    private ConversionReport convertInSlot(SourceImage source, ImageReference target, ConversionOptions options,
                                           ConversionListener listener, ConvertedParts parts, Cancellation cancellation) {
        ConversionListener logging = new LayerLog(listener);
        try {
            engine.stores().checkWritable(target);
            ConversionReport report = signer.signed(engine.stores(), provenance.recorded(engine.converter()
                    .convert(source, target, options, logging, parts, cancellation), options));
            metrics.finished("image", report);
            LOG.infof("conversion source=%s target=%s outcome=%s dry_run=%s source_digest=%s target_digest=%s layers=%d "
                            + "recompressed=%d bytes_read=%d bytes_written=%d ms=%d", report.source(), report.target(),
                    report.outcome(), report.dryRun(), report.sourceDigest(), report.targetDigest(),
                    report.totals().layers(), report.totals().recompressed(), report.totals().bytesRead(),
                    report.totals().bytesWritten(), report.millis());
            return report;
        } catch (RecastException e) {
            metrics.outcome("image", "failed");
            LOG.warnf("conversion source=%s target=%s outcome=failed kind=%s error=%s", source, target, e.kind(),
                    e.getMessage());
            throw e;
        }
    }

    public ConversionReport convert(ImageReference source, ImageReference target, ConversionOptions options) {
        return convert(SourceImage.of(source), target, options);
    }

    /** Converts in a slot of its own an image whose manifest the caller may have read already (read once). */
    public ConversionReport convert(SourceImage source, ImageReference target, ConversionOptions options) {
        try (ConversionSlots.Slot ignored = claimSlot()) {
            return convertInSlot(source, target, options, ConversionListener.NONE, ConvertedParts.NONE,
                    new Cancellation());
        }
    }

    public IndexReport index(IndexRequest request) {
        int most = engine.config().limits().indexEntries();
        if (request.sources().size() > most) {
            // each source may be a whole conversion: refuse before the first one, not after them all
            throw new RecastException(ErrorKind.TOO_LARGE, "the index request names " + request.sources().size()
                    + " sources, over " + most + " (recast.limits.index-entries)", request.target().toString(), null, null);
        }
        try (ConversionSlots.Slot ignored = claimSlot()) {
            engine.stores().checkWritable(request.target());
            IndexReport report = engine.indexBuilder().build(request);
            metrics.finished(report);
            LOG.infof("index target=%s digest=%s entries=%d dry_run=%s ms=%d", report.target(), report.digest(),
                    report.entries().size(), report.dryRun(), report.millis());
            return report;
        } catch (RecastException e) {
            metrics.outcome("index", "failed");
            LOG.warnf("index target=%s outcome=failed kind=%s error=%s", request.target(), e.kind(), e.getMessage());
            throw e;
        }
    }

    /** The manifest a reference names, if it exists (the host must be allowed). */
    public Optional<Content> findManifest(ImageReference reference) {
        try (ImageStore store = engine.stores().open(reference)) {
            return store.findManifest(reference.reference());
        }
    }

    /** Inspects in a slot of its own: a wide index is work like a conversion, and a busy service refuses it too. */
    public ImageInspection inspect(ImageReference reference) {
        return inspect(SourceImage.of(reference));
    }

    /** As {@link #inspect(ImageReference)}, with the manifest the caller may have read already. */
    public ImageInspection inspect(SourceImage image) {
        try (ConversionSlots.Slot ignored = claimSlot()) {
            return engine.inspector().inspect(image);
        }
    }

    /**
     * As {@link #inspect(ImageReference)} (with a {@code platform}: {@link #inspect(ImageReference, Platform)}), and
     * what is attached to the image and its platform images (signatures, attestations, SBOMs), in one slot.
     */
    public ImageInspection inspectWithReferrers(ImageReference reference, Platform platform) {
        try (ConversionSlots.Slot ignored = claimSlot()) {
            ImageInspection inspection = platform == null ? engine.inspector().inspect(SourceImage.of(reference))
                    : engine.inspector().inspect(reference, platform);
            return engine.inspector().withReferrers(inspection, reference);
        }
    }

    /** Inspects the one image of {@code reference} for {@code platform} (an index's child), in a slot of its own. */
    public ImageInspection inspect(ImageReference reference, Platform platform) {
        try (ConversionSlots.Slot ignored = claimSlot()) {
            return engine.inspector().inspect(reference, platform);
        }
    }

    /** Re-checks a converted image against its provenance, in a slot of its own: it reads every layer. */
    public VerificationReport verify(ImageReference target) {
        try (ConversionSlots.Slot ignored = claimSlot()) {
            VerificationReport report = new ImageVerifier(reference -> engine.stores().open(reference),
                    new ProvenanceFinder(new ReferrerDiscovery()), engine.converter().limits()).verify(target);
            LOG.infof("verification target=%s digest=%s provenance=%s verified=%s", report.target(), report.digest(),
                    report.provenance(), report.verified());
            return report;
        }
    }

    /** Logs one line per layer, then passes the event on. */
    private record LayerLog(ConversionListener next) implements ConversionListener {
        @Override
        public void layerStarted(String image, Descriptor layer) {
            next.layerStarted(image, layer);
        }

        @Override
        public void layerFinished(String image, Descriptor layer, LayerAction action, Descriptor result, long millis) {
            LOG.infof("layer image=%s digest=%s action=%s size=%d target_digest=%s target_size=%d ms=%d", image,
                    layer.digest(), action, layer.size(), result.digest(), result.size(), millis);
            next.layerFinished(image, layer, action, result, millis);
        }
    }
}
