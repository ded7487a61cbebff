package dev.recast.convert;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.convert.ConversionReport.Outcome;
import dev.recast.model.Content;
import dev.recast.model.ImageManifest;
import dev.recast.model.Index;
import dev.recast.model.Manifest;
import dev.recast.registry.reference.ImageReference;
import dev.recast.registry.referrers.ReferrerAttacher;
import dev.recast.registry.store.DryRunStore;
import dev.recast.registry.store.ImageStore;
import dev.recast.registry.store.StoreFactory;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The engine: converts the image one reference names into OCI (+ the chosen layer compression) under another.
 * Blobs first, then the manifests others name by digest, the tag last — a failure never moves a tag. Each blob and
 * manifest is read once per run.
 */
public final class ImageConverter implements AutoCloseable {
    private final StoreFactory stores;
    private final ExecutorService layerPool;
    private final Limits limits;
    private final LayerCache cache;
    private final ReferrerAttacher attacher = new ReferrerAttacher();

    /** A converter without layer cache. */
    public ImageConverter(StoreFactory stores, int layerParallelism, Limits limits) {
        this(stores, layerParallelism, limits, LayerCache.NONE);
    }

    /** A converter whose registry targets reuse layers converted earlier ({@code cache}); dry runs never use it. */
    public ImageConverter(StoreFactory stores, int layerParallelism, Limits limits, LayerCache cache) {
        this.stores = stores;
        this.limits = limits;
        this.cache = cache;
        this.layerPool = Executors.newFixedThreadPool(layerParallelism,
                Thread.ofPlatform().name("recast-layer-", 1).daemon().factory());
    }

    /**
     * @param target where to write; without tag or digest it takes the source's tag (or {@code latest})
     */
    public ConversionReport convert(ImageReference source, ImageReference target, ConversionOptions options) {
        return convert(SourceImage.of(source), target, options, ConversionListener.NONE, ConvertedParts.NONE,
                new Cancellation());
    }

    /** As {@link #convert(ImageReference, ImageReference, ConversionOptions)}, telling {@code listener} of each layer. */
    public ConversionReport convert(ImageReference source, ImageReference target, ConversionOptions options,
                                    ConversionListener listener) {
        return convert(SourceImage.of(source), target, options, listener, ConvertedParts.NONE, new Cancellation());
    }

    /**
     * As {@link #convert(ImageReference, ImageReference, ConversionOptions)}, taking images of a list that earlier
     * runs converted ({@code parts}) instead of converting them again, and stopped by {@code cancellation} as well
     * as by the conversion timeout. The conversion owns the cancellation from here on and ends it when it returns.
     */
    public ConversionReport convert(SourceImage source, ImageReference target, ConversionOptions options,
                                    ConversionListener listener, ConvertedParts parts, Cancellation cancellation) {
        long started = System.nanoTime();
        String sourceName = source.toString();
        if (target.tag() == null && target.reference() != null) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "cannot write to " + target
                    + ": a target names a tag, not a digest");
        }
        String targetTag = target.tag() != null ? target.tag()
                : source.reference().tag() != null ? source.reference().tag() : "latest";
        ImageReference targetRef = target.withTag(targetTag);
        limits.deadline(cancellation, "conversion", sourceName);
        try (Cancellation.Work ignored = cancellation.enter();
             ImageStore sourceStore = stores.open(source.reference());
             ImageStore realTarget = stores.open(targetRef);
             ImageStore targetStore = options.dryRun() ? new DryRunStore(realTarget) : realTarget;
             ImageStore cacheStore = options.dryRun() ? null : cache.repositoryFor(targetRef, options.cache(), stores).orElse(null)) {
            Content sourceContent = source.known().orElseGet(() -> sourceStore.requireManifest(source.reference().reference()));
            ConversionRun run = ConversionRun.start(sourceStore, targetStore, options, sourceName, limits, cancellation);
            ImageManifest parsed = run.parsed(sourceContent, 1);
            if (LayerCacheEntry.isEntry(parsed)) {
                throw new RecastException(ErrorKind.BAD_REQUEST, "this is one of Recast's layer cache entries, "
                        + "not an image to convert", sourceName, null, null);
            }
            Optional<Content> existing = targetStore.findManifest(targetTag);
            Optional<TagGuard> inPlace = TagGuard.forInPlace(source.reference(), targetRef, sourceContent, existing);
            inPlace.ifPresent(guard -> guard.requireConsent(options));
            EarlierResults earlier = new EarlierResults(run);
            if (existing.isPresent() && (earlier.isResultOf(existing.get(), sourceContent)
                    || existing.get().digest().equals(sourceContent.digest()) && earlier.isOwnResult(sourceContent))) {
                Content result = existing.get();
                List<ReferrerReport> referrers = new ReferrerCarrier(run, attacher).carry(sourceContent, result);
                return new ConversionReport(sourceName, targetRef.toString(), Outcome.ALREADY_CONVERTED,
                        options.dryRun(), sourceContent.mediaType(), sourceContent.digest(), result.mediaType(),
                        result.digest(), List.of(), run.report().totals(options.dryRun()), millisSince(started),
                        List.of("the target already holds this conversion of " + sourceContent.digest()), referrers);
            }

            CachedLayers cached = new CachedLayers(run, cache, cacheStore, cache.verifiesFor(targetRef, options.cache()));
            Content result = options.variants().isEmpty() ? walker(run, listener, parts, cached).convert(parsed)
                    : variants(run, listener, cached, earlier).build(parsed);
            List<ReferrerReport> referrers = new ReferrerCarrier(run, attacher).carry(sourceContent, result);
            cancellation.commit();
            if (existing.map(e -> !e.digest().equals(result.digest())).orElse(true)) {
                inPlace.ifPresent(guard -> guard.check(targetStore));
                run.manifests().tag(targetTag, result);
            }
            Outcome outcome = result.digest().equals(sourceContent.digest()) ? Outcome.UNCHANGED
                    : options.dryRun() ? Outcome.PLANNED : Outcome.CONVERTED;
            return new ConversionReport(sourceName, targetRef.toString(), outcome, options.dryRun(),
                    sourceContent.mediaType(), sourceContent.digest(), result.mediaType(), result.digest(),
                    run.report().images(), run.report().totals(options.dryRun()), millisSince(started),
                    run.report().notes(), referrers);
        } catch (RuntimeException e) {
            throw inImage(cancellation.explain(e), sourceName);
        } finally {
            cancellation.end();
        }
    }

    /**
     * Makes the image {@code source} names available in {@code target} (the store of {@code targetRef}) by digest,
     * without tagging anything: converted with {@code options} when {@code convert} (telling {@code listener} of each
     * layer, reusing layers the cache holds), else copied unchanged (blobs mounted where possible).
     * {@code cancellation} is the caller's, who ends it.
     */
    public Transferred transfer(ImageReference source, ImageStore sourceStore, ImageStore target,
                                ImageReference targetRef, ConversionOptions options, boolean convert,
                                ConversionListener listener, Cancellation cancellation) {
        String sourceName = source.toString();
        try (Cancellation.Work ignored = cancellation.enter();
             ImageStore cacheStore = options.dryRun() || !convert ? null
                     : cache.repositoryFor(targetRef, options.cache(), stores).orElse(null)) {
            Content sourceContent = sourceStore.requireManifest(source.reference());
            ConversionRun run = ConversionRun.start(sourceStore, target, options, sourceName, limits, cancellation);
            // the copier parses and checks what it copies itself
            Content result = convert ? walker(run, listener, ConvertedParts.NONE,
                    new CachedLayers(run, cache, cacheStore, cache.verifiesFor(targetRef, options.cache()))).convert(run.parsed(sourceContent, 1))
                    : new TreeCopier(run, new BlobCopier(run)).copy(sourceContent, 1);
            run.manifests().byDigest(result);
            return new Transferred(sourceContent, result, run.report().images(), run.report().totals(options.dryRun()),
                    run.report().notes());
        } catch (RuntimeException e) {
            throw inImage(cancellation.explain(e), sourceName);
        }
    }

    /** The parts of one run, wired: a walker over lists, converting images whose layers share one scheduler. */
    private ListWalker walker(ConversionRun run, ConversionListener listener, ConvertedParts parts,
                              CachedLayers cached) {
        BlobCopier blobs = new BlobCopier(run);
        TreeCopier trees = new TreeCopier(run, blobs);
        LayerScheduler layers = new LayerScheduler(run, layerPool, new LayerConverter(run, blobs, listener, cached));
        return new ListWalker(run, new ManifestConverter(run, blobs, trees, layers), trees, parts, new EarlierResults(run));
    }

    /** The parts of a variants run: as {@link #walker}'s, building one gzip + zstd index instead of walking. */
    private VariantsBuilder variants(ConversionRun run, ConversionListener listener, CachedLayers cached,
                                     EarlierResults earlier) {
        BlobCopier blobs = new BlobCopier(run);
        TreeCopier trees = new TreeCopier(run, blobs);
        LayerScheduler layers = new LayerScheduler(run, layerPool, new LayerConverter(run, blobs, listener, cached));
        return new VariantsBuilder(run, new ManifestConverter(run, blobs, trees, layers), trees, earlier);
    }

    private static RuntimeException inImage(RuntimeException failure, String image) {
        return failure instanceof RecastException recast ? recast.in(image, null) : failure;
    }

    /** One image moved by {@link #transfer}: what it was, what it is now, and how each layer went. */
    public record Transferred(Content source, Content result, List<ImageReport> images,
                              ConversionReport.Totals totals, List<String> notes) {
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    @Override
    public void close() {
        layerPool.shutdownNow();
    }

    /** The layer cache this converter's registry targets use. */
    public LayerCache layerCache() {
        return cache;
    }

    /** The limits this converter works within. */
    public Limits limits() {
        return limits;
    }

    /**
     * Limits on what Recast reads and how long it works on it.
     *
     * @param manifestBytes     largest manifest read into memory
     * @param configBytes       largest config read into memory
     * @param layerBytes        largest uncompressed layer (tar) accepted
     * @param expansionRatio    largest tar size / compressed size accepted once a layer passes 64 MiB of tar: a small
     *                          blob that inflates without end (a decompression bomb) is stopped early
     * @param indexEntries      most entries one index may list
     * @param indexDepth        most indexes nested in one another (1: an index of images, no index inside)
     * @param imageLayers       most layers one image may have
     * @param conversionTimeout longest a conversion or index build may run before it is stopped
     */
    public record Limits(long manifestBytes, long configBytes, long layerBytes, long expansionRatio, int indexEntries,
                         int indexDepth, int imageLayers, Duration conversionTimeout) {
        public static final Limits DEFAULT = new Limits(4L << 20, 8L << 20, 64L << 30, 5000, 1024, 4, 1000,
                Duration.ofMinutes(30));

        /** These byte limits, the others at their defaults. */
        public Limits(long manifestBytes, long configBytes, long layerBytes, long expansionRatio) {
            this(manifestBytes, configBytes, layerBytes, expansionRatio, DEFAULT.indexEntries, DEFAULT.indexDepth,
                    DEFAULT.imageLayers, DEFAULT.conversionTimeout);
        }

        /**
         * Parses a manifest or index and refuses it when its shape is over a limit: before anything it names is fetched.
         *
         * @param level 1 for what a reference names, 2 for an entry of its index, 3 for an entry of that, …
         * @param image the image asked for, named in the error
         */
        public ImageManifest parse(Content content, int level, String image) {
            return checked(ImageManifest.parse(content), level, image);
        }

        /** As {@link #parse}, for a manifest or index already parsed (or just built). */
        public ImageManifest checked(ImageManifest parsed, int level, String image) {
            String problem = null;
            if (parsed instanceof Index index) {
                if (level > indexDepth) {
                    problem = "index " + index.digest() + " is nested " + level + " indexes deep, over the limit of "
                            + indexDepth + " (recast.limits.index-depth)";
                } else if (index.manifests().size() > indexEntries) {
                    problem = "index " + index.digest() + " lists " + index.manifests().size()
                            + " entries, over the limit of " + indexEntries + " (recast.limits.index-entries)";
                }
            } else if (((Manifest) parsed).layers().size() > imageLayers) {
                problem = "image " + parsed.digest() + " has " + ((Manifest) parsed).layers().size()
                        + " layers, over the limit of " + imageLayers + " (recast.limits.image-layers)";
            }
            if (problem != null) {
                throw new RecastException(ErrorKind.TOO_LARGE, problem, image, null, null);
            }
            return parsed;
        }

        /** Makes {@code run} stop once the conversion timeout has passed, with an error naming {@code image}. */
        public Cancellation deadline(Cancellation run, String what, String image) {
            return run.after(conversionTimeout, () -> new RecastException(ErrorKind.TOO_LARGE, "the " + what
                    + " passed its deadline of " + describe(conversionTimeout) + " (recast.limits.conversion-timeout) "
                    + "and was stopped; no tag was moved", image, null, null));
        }

        private static String describe(Duration duration) {
            return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
        }
    }
}
