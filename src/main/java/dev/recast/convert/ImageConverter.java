package dev.recast.convert;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.convert.ConversionReport.Outcome;
import dev.recast.model.Content;
import dev.recast.model.ImageManifest;
import dev.recast.model.Index;
import dev.recast.model.Manifest;
import dev.recast.registry.DryRunStore;
import dev.recast.registry.ImageReference;
import dev.recast.registry.ImageStore;
import dev.recast.registry.StoreFactory;

import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The engine: converts the image one reference names into OCI (+ the chosen layer compression) under another.
 * Blobs first, then manifests by digest, the tag last — a failure never moves a tag.
 */
public final class ImageConverter implements AutoCloseable {
    private final StoreFactory stores;
    private final ExecutorService layerPool;
    private final Limits limits;

    public ImageConverter(StoreFactory stores, int layerParallelism, Limits limits) {
        this.stores = stores;
        this.limits = limits;
        this.layerPool = Executors.newFixedThreadPool(layerParallelism,
                Thread.ofPlatform().name("recast-layer-", 1).daemon().factory());
    }

    /**
     * @param target where to write; without tag or digest it takes the source's tag (or {@code latest})
     */
    public ConversionReport convert(ImageReference source, ImageReference target, ConversionOptions options) {
        return convert(source, target, options, ConversionListener.NONE);
    }

    /** As {@link #convert(ImageReference, ImageReference, ConversionOptions)}, telling {@code listener} of each layer. */
    public ConversionReport convert(ImageReference source, ImageReference target, ConversionOptions options,
                                    ConversionListener listener) {
        return convert(source, target, options, listener, ConvertedParts.NONE);
    }

    /** As {@link #convert}, taking images of a list that earlier runs converted instead of converting them again. */
    public ConversionReport convert(ImageReference source, ImageReference target, ConversionOptions options,
                                    ConversionListener listener, ConvertedParts parts) {
        long started = System.nanoTime();
        String sourceName = source.toString();
        if (target.tag() == null && target.reference() != null) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "cannot write to " + target
                    + ": a target names a tag, not a digest");
        }
        String targetTag = target.tag() != null ? target.tag() : source.tag() != null ? source.tag() : "latest";
        ImageReference targetRef = target.withTag(targetTag);
        try (ImageStore sourceStore = stores.open(source);
             ImageStore realTarget = stores.open(targetRef);
             ImageStore targetStore = options.dryRun() ? new DryRunStore(realTarget) : realTarget) {
            Content sourceContent = sourceStore.findManifest(source.reference())
                    .orElseThrow(() -> new RecastException(ErrorKind.NOT_FOUND, "image not found", sourceName, null, null));
            ImageManifest parsed = ImageManifest.parse(sourceContent);
            Optional<Content> existing = targetStore.findManifest(targetTag);

            ConversionRun run = new ConversionRun(sourceStore, targetStore, options, sourceName, layerPool, limits, listener,
                    parts);
            if (existing.isPresent() && run.isResultOf(existing.get(), sourceContent)) {
                Content result = existing.get();
                return new ConversionReport(sourceName, targetRef.toString(), Outcome.ALREADY_CONVERTED,
                        options.dryRun(), sourceContent.mediaType(), sourceContent.digest(), result.mediaType(),
                        result.digest(), java.util.List.of(), run.totals(), millisSince(started),
                        java.util.List.of("the target already holds this conversion of " + sourceContent.digest()));
            }

            Content result = parsed instanceof Index index ? run.convertIndex(index) : run.convertManifest((Manifest) parsed, null);
            targetStore.putManifest(result);
            if (existing.map(e -> !e.digest().equals(result.digest())).orElse(true)) {
                targetStore.tag(targetTag, result);
            }
            Outcome outcome = result.digest().equals(sourceContent.digest()) ? Outcome.UNCHANGED : Outcome.CONVERTED;
            return new ConversionReport(sourceName, targetRef.toString(), outcome, options.dryRun(),
                    sourceContent.mediaType(), sourceContent.digest(), result.mediaType(), result.digest(),
                    run.images(), run.totals(), millisSince(started), run.notes());
        } catch (RecastException e) {
            throw e.in(sourceName, null);
        }
    }

    /**
     * Makes the image {@code source} names available in {@code target} by digest, without tagging anything:
     * converted with {@code options} when {@code convert}, else copied unchanged (blobs mounted where possible).
     */
    public Transferred transfer(ImageReference source, ImageStore sourceStore, ImageStore target,
                                ConversionOptions options, boolean convert) {
        String sourceName = source.toString();
        try {
            Content sourceContent = sourceStore.findManifest(source.reference())
                    .orElseThrow(() -> new RecastException(ErrorKind.NOT_FOUND, "image not found", sourceName, null, null));
            ConversionRun run = new ConversionRun(sourceStore, target, options, sourceName, layerPool, limits,
                    ConversionListener.NONE, ConvertedParts.NONE);
            Content result;
            if (convert) {
                ImageManifest parsed = ImageManifest.parse(sourceContent);
                result = parsed instanceof Index index ? run.convertIndex(index) : run.convertManifest((Manifest) parsed, null);
            } else {
                result = run.copyUnchanged(sourceContent);
            }
            target.putManifest(result);
            return new Transferred(sourceContent, result, run.images(), run.totals(), run.notes());
        } catch (RecastException e) {
            throw e.in(sourceName, null);
        }
    }

    /** One image moved by {@link #transfer}: what it was, what it is now, and how each layer went. */
    public record Transferred(Content source, Content result, java.util.List<ImageReport> images,
                              ConversionReport.Totals totals, java.util.List<String> notes) {
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    @Override
    public void close() {
        layerPool.shutdownNow();
    }

    /**
     * Limits on what Recast reads.
     *
     * @param manifestBytes     largest manifest read into memory
     * @param configBytes       largest config read into memory
     * @param layerBytes        largest uncompressed layer (tar) accepted
     * @param expansionRatio    largest tar size / compressed size accepted once a layer passes 64 MiB of tar: a small
     *                          blob that inflates without end (a decompression bomb) is stopped early
     */
    public record Limits(long manifestBytes, long configBytes, long layerBytes, long expansionRatio) {
        public static final Limits DEFAULT = new Limits(4L << 20, 8L << 20, 64L << 30, 5000);
    }
}
