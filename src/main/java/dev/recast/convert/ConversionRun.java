package dev.recast.convert;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.convert.ConversionReport.Totals;
import dev.recast.model.Compression;
import dev.recast.model.Content;
import dev.recast.model.Descriptor;
import dev.recast.model.Digest;
import dev.recast.model.ImageConfig;
import dev.recast.model.ImageManifest;
import dev.recast.model.Index;
import dev.recast.model.Manifest;
import dev.recast.model.MediaType;
import dev.recast.model.Platform;
import dev.recast.registry.BlobWriter;
import dev.recast.registry.ImageConfigReader;
import dev.recast.registry.ImageStore;
import dev.recast.registry.RegistryConnectionException;
import dev.recast.stream.VerifyingInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/** The state of one conversion: its stores, options, per-layer work (shared across an index's children) and counters. */
final class ConversionRun {
    private static final String ATTESTATION_DIGEST = "vnd.docker.reference.digest";
    private static final int LAYER_ATTEMPTS = 2;
    /** How long a stopped run waits for its layer workers to leave (an upload they abandon is deleted first). */
    private static final Duration WORKERS_LEAVE = Duration.ofSeconds(10);

    private final ImageStore source;
    private final ImageStore target;
    private final ConversionOptions options;
    private final String imageName;
    private final ExecutorService pool;
    private final ImageConverter.Limits limits;
    private final ConversionListener listener;
    private final ConvertedParts parts;
    private final LayerRecompressor recompressor;
    private final Cancellation cancellation;
    private final Map<Digest, Future<LayerOutcome>> layers = new ConcurrentHashMap<>();
    /** Each child manifest is done once per run, however often (and however deep) indexes list it. */
    private final Map<Digest, Content> childResults = new HashMap<>();
    private final Set<Digest> copiedTrees = new HashSet<>();
    private final List<ImageReport> images = Collections.synchronizedList(new ArrayList<>());
    private final List<String> notes = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong bytesRead = new AtomicLong();
    private final AtomicLong bytesWritten = new AtomicLong();

    ConversionRun(ImageStore source, ImageStore target, ConversionOptions options, String imageName,
                  ExecutorService pool, ImageConverter.Limits limits, ConversionListener listener, ConvertedParts parts,
                  Cancellation cancellation) {
        this.cancellation = cancellation;
        this.listener = listener;
        this.parts = parts;
        this.source = source;
        this.target = target;
        this.options = options;
        this.imageName = imageName;
        this.pool = pool;
        this.limits = limits;
        this.recompressor = new LayerRecompressor(limits.layerBytes(), limits.expansionRatio());
    }

    List<ImageReport> images() {
        return List.copyOf(images);
    }

    List<String> notes() {
        return List.copyOf(notes);
    }

    Totals totals() {
        int recompressed = 0;
        int copied = 0;
        int skipped = 0;
        int count = 0;
        long before = 0;
        long after = 0;
        for (ImageReport image : images()) {
            for (LayerReport layer : image.layers()) {
                count++;
                before += layer.sourceSize();
                after += layer.targetSize();
                switch (layer.action()) {
                    case RECOMPRESSED -> recompressed++;
                    case COPIED -> copied++;
                    case SKIPPED -> skipped++;
                }
            }
        }
        return new Totals(count, recompressed, copied, skipped, before, after, bytesRead.get(),
                options.dryRun() ? 0 : bytesWritten.get());
    }

    /** True when {@code existing} was produced from {@code sourceContent} with these options and is complete. */
    boolean isResultOf(Content existing, Content sourceContent) {
        ImageManifest parsed;
        try {
            parsed = limits.checked(ImageManifest.parse(existing), 1, imageName);
        } catch (RecastException e) {
            return false;
        }
        Map<String, String> annotations = parsed.annotations();
        return sourceContent.digest().toString().equals(annotations.get(RecastAnnotations.SOURCE_DIGEST))
                && options.label().equals(annotations.get(RecastAnnotations.CONVERSION))
                && isComplete(parsed, 1, new HashSet<>());
    }

    private boolean isComplete(ImageManifest manifest, int level, Set<Digest> seen) {
        if (manifest instanceof Manifest image) {
            return target.hasBlob(image.config().digest()) && image.layers().stream()
                    .allMatch(layer -> layer.mediaType().isForeignLayer() || target.hasBlob(layer.digest()));
        }
        for (Descriptor child : ((Index) manifest).manifests()) {
            if (!seen.add(child.digest())) {
                continue;
            }
            Optional<Content> stored = target.findManifest(child.digest().toString());
            if (stored.isEmpty()) {
                return false;
            }
            ImageManifest parsed;
            try {
                parsed = ImageManifest.parse(stored.get());
            } catch (RecastException e) {
                continue; // a child we cannot parse (an artifact) counts as present once its manifest is
            }
            if (!isComplete(limits.checked(parsed, level + 1, imageName), level + 1, seen)) {
                return false;
            }
        }
        return true;
    }

    /** Converts what a reference names (already parsed and checked against the limits). */
    Content convert(ImageManifest parsed) {
        return parsed instanceof Index index ? convertIndex(index, 1) : convertManifest((Manifest) parsed, null);
    }

    /** Converts a list or index: every kept child converted, attestations re-pointed, then the index itself. */
    private Content convertIndex(Index index, int level) {
        List<Descriptor> entries = new ArrayList<>();
        Map<Digest, Digest> converted = new HashMap<>();
        List<Descriptor> attestations = new ArrayList<>();
        for (Descriptor child : index.manifests()) {
            if (isAttestation(child)) {
                attestations.add(child);
                continue;
            }
            if (!isWanted(child.platform())) {
                notes.add("left out " + child.digest() + " (" + child.platform() + "): not among the requested platforms");
                continue;
            }
            Descriptor result = convertChild(child, level + 1);
            converted.put(child.digest(), result.digest());
            entries.add(result);
        }
        for (Descriptor attestation : attestations) {
            Digest subject = Digest.isDigest(attestation.annotations().getOrDefault(ATTESTATION_DIGEST, ""))
                    ? Digest.parse(attestation.annotations().get(ATTESTATION_DIGEST)) : null;
            if (subject == null || !converted.containsKey(subject)) {
                notes.add("left out attestation " + attestation.digest() + ": the image it describes is not in the result");
                continue;
            }
            copyManifestTree(attestation, level + 1);
            Map<String, String> annotations = new LinkedHashMap<>(attestation.annotations());
            annotations.put(ATTESTATION_DIGEST, converted.get(subject).toString());
            entries.add(attestation.withAnnotations(annotations));
            if (!subject.equals(converted.get(subject))) {
                notes.add("attestation " + attestation.digest() + " re-pointed to " + converted.get(subject)
                        + "; its statement still names the source image " + subject);
            }
        }
        if (entries.isEmpty()) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "no entry of the index matches the requested platforms "
                    + options.platforms(), imageName, null, null);
        }
        if (index.mediaType().equals(MediaType.OCI_INDEX) && entries.equals(index.manifests())) {
            return index.content();
        }
        Index result = Index.create(MediaType.OCI_INDEX, index.artifactType(), entries, index.subject(),
                resultAnnotations(index.annotations(), index.content()));
        cancellation.check();
        target.putManifest(result.content());
        bytesWritten.addAndGet(result.content().size());
        return result.content();
    }

    private boolean isWanted(Platform platform) {
        if (options.platforms().isEmpty()) {
            return true;
        }
        return platform != null && options.platforms().stream().anyMatch(platform::matches);
    }

    private static boolean isAttestation(Descriptor child) {
        return child.platform() != null && child.platform().isUnknown()
                && child.annotations().containsKey(ATTESTATION_DIGEST);
    }

    private Descriptor convertChild(Descriptor child, int level) {
        Content result = childResults.get(child.digest());
        if (result == null) {
            result = convertChildOnce(child, level);
            childResults.put(child.digest(), result);
        }
        return child.withContent(result.mediaType(), result.digest(), result.size());
    }

    private Content convertChildOnce(Descriptor child, int level) {
        Content content = readManifest(child);
        Optional<Content> earlier = parts.of(child.digest()).filter(part -> isResultOf(part, content));
        if (earlier.isPresent()) {
            notes.add(child.digest() + " (" + child.platform() + ") was converted earlier, to " + earlier.get().digest());
            return earlier.get();
        }
        ImageManifest parsed = limits.checked(ImageManifest.parse(content), level, imageName);
        Content result = parsed instanceof Index nested ? convertIndex(nested, level)
                : convertManifest((Manifest) parsed, child.platform());
        cancellation.check();
        target.putManifest(result);
        return result;
    }

    /** Copies an image or index and everything it names unchanged; returns it. */
    Content copyUnchanged(Content content) {
        return copyManifestTree(content, 1);
    }

    /** Copies a manifest and everything it names unchanged (attestations, artifacts), each child once. */
    private void copyManifestTree(Descriptor descriptor, int level) {
        if (!copiedTrees.contains(descriptor.digest())) {
            copyManifestTree(readManifest(descriptor), level);
        }
    }

    /** Returns the content with its media type as parsed (a store's type is only a hint, e.g. for untagged children). */
    private Content copyManifestTree(Content content, int level) {
        ImageManifest parsed = limits.checked(ImageManifest.parse(content), level, imageName);
        if (!copiedTrees.add(parsed.digest())) {
            return parsed.content();
        }
        if (parsed instanceof Manifest manifest) {
            copyBlob(manifest.config());
            manifest.layers().forEach(layer -> {
                if (!layer.mediaType().isForeignLayer()) {
                    copyBlob(layer);
                }
            });
        } else {
            ((Index) parsed).manifests().forEach(child -> copyManifestTree(child, level + 1));
        }
        cancellation.check();
        target.putManifest(parsed.content());
        return parsed.content();
    }

    private Content readManifest(Descriptor descriptor) {
        Content content = source.requireManifest(descriptor.digest().toString());
        if (descriptor.size() != content.size()) {
            throw new RecastException(ErrorKind.DIGEST_MISMATCH, "child manifest " + descriptor.digest() + " has "
                    + content.size() + " bytes but its descriptor says " + descriptor.size(), imageName, null, null);
        }
        return content;
    }

    /** Converts one image manifest: its layers in parallel, its config copied unchanged. */
    Content convertManifest(Manifest manifest, Platform indexPlatform) {
        if (!manifest.isContainerImage()) {
            copyManifestTree(manifest.content(), 1);
            notes.add(manifest.digest() + " is not a container image (config " + manifest.config().mediaType()
                    + "): copied unchanged");
            return manifest.content();
        }
        ImageConfig config = readConfig(manifest.config());
        if (config.diffIds().size() != manifest.layers().size()) {
            throw new RecastException(ErrorKind.INVALID_IMAGE, "config " + config.digest() + " lists "
                    + config.diffIds().size() + " diff_ids for " + manifest.layers().size() + " layers", imageName, null, null);
        }
        List<Future<LayerOutcome>> pending = new ArrayList<>();
        for (int i = 0; i < manifest.layers().size(); i++) {
            Descriptor layer = manifest.layers().get(i);
            Digest diffId = config.diffIds().get(i);
            pending.add(layers.computeIfAbsent(layer.digest(), d -> pool.submit(() -> {
                try (Cancellation.Work ignored = cancellation.enter()) {
                    cancellation.check();
                    return convertLayer(layer, diffId);
                }
            })));
        }
        copyBlob(manifest.config());
        List<LayerOutcome> outcomes = awaitAll(pending);

        List<Descriptor> newLayers = new ArrayList<>();
        List<LayerReport> reports = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            Descriptor before = manifest.layers().get(i);
            LayerOutcome outcome = outcomes.get(i);
            Descriptor after = before.withContent(outcome.mediaType(), outcome.digest(), outcome.size());
            newLayers.add(after);
            reports.add(new LayerReport(i, outcome.action(), before.mediaType(), before.digest(), before.size(),
                    after.mediaType(), after.digest(), after.size(), config.diffIds().get(i), outcome.millis(), outcome.note()));
        }
        Descriptor newConfig = manifest.config().mediaType().equals(MediaType.DOCKER_CONFIG)
                ? manifest.config().withMediaType(MediaType.OCI_CONFIG) : manifest.config();
        Content result;
        if (manifest.mediaType().equals(MediaType.OCI_MANIFEST) && newLayers.equals(manifest.layers())
                && newConfig.equals(manifest.config())) {
            result = manifest.content();
        } else {
            result = Manifest.create(MediaType.OCI_MANIFEST, manifest.artifactType(), newConfig, newLayers,
                    manifest.subject(), resultAnnotations(manifest.annotations(), manifest.content())).content();
            bytesWritten.addAndGet(result.size());
        }
        cancellation.check();
        target.putManifest(result);
        Platform platform = indexPlatform != null ? indexPlatform : config.platform();
        images.add(new ImageReport(platform, manifest.mediaType(), manifest.digest(), result.mediaType(),
                result.digest(), config.digest(), reports, null));
        return result;
    }

    private Map<String, String> resultAnnotations(Map<String, String> sourceAnnotations, Content sourceContent) {
        Map<String, String> annotations = new LinkedHashMap<>(sourceAnnotations);
        annotations.put(RecastAnnotations.SOURCE_DIGEST, sourceContent.digest().toString());
        annotations.put(RecastAnnotations.CONVERSION, options.label());
        return annotations;
    }

    private ImageConfig readConfig(Descriptor descriptor) {
        ImageConfig config = ImageConfigReader.read(source, descriptor, limits.configBytes());
        bytesRead.addAndGet(descriptor.size());
        return config;
    }

    /** Makes a blob present in the target unchanged: already there, mounted, or copied (digest-checked). */
    private boolean copyBlob(Descriptor blob) {
        if (target.hasBlob(blob.digest())) {
            return false;
        }
        if (target.mountBlob(blob, source)) {
            return false;
        }
        try (InputStream in = cancellation.guard(source.openBlob(blob))) {
            target.putBlob(blob, in);
            bytesRead.addAndGet(blob.size());
            bytesWritten.addAndGet(blob.size());
            return true;
        } catch (IOException | UncheckedIOException e) {
            throw new RecastException(kindOf(e), "cannot copy blob: " + e.getMessage(), imageName, blob.digest().toString(), e);
        }
    }

    private LayerOutcome convertLayer(Descriptor layer, Digest diffId) {
        long started = System.nanoTime();
        listener.layerStarted(imageName, layer);
        try {
            LayerOutcome outcome = convertLayerRetrying(layer, diffId).withMillis((System.nanoTime() - started) / 1_000_000);
            listener.layerFinished(imageName, layer, outcome.action(),
                    layer.withContent(outcome.mediaType(), outcome.digest(), outcome.size()), outcome.millis());
            return outcome;
        } catch (RecastException e) {
            throw e.in(imageName, layer.digest().toString());
        } catch (IOException | UncheckedIOException e) {
            throw new RecastException(kindOf(e), "layer failed: " + e.getMessage(), imageName, layer.digest().toString(), e);
        }
    }

    /** A registry connection that failed for good is upstream's fault; other I/O failures are ours. */
    private static ErrorKind kindOf(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RegistryConnectionException) {
                return ErrorKind.UPSTREAM;
            }
        }
        return ErrorKind.IO;
    }

    /**
     * A transfer can break in ways no single request retry mends (an upload session the registry can no longer
     * resume once an answer was lost): then the whole layer is done once more, from a fresh read of the source.
     */
    private LayerOutcome convertLayerRetrying(Descriptor layer, Digest diffId) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return convertLayerTimed(layer, diffId);
            } catch (RecastException e) {
                boolean transient_ = e.kind() == ErrorKind.UPSTREAM || e.kind() == ErrorKind.IO;
                if (!transient_ || attempt >= LAYER_ATTEMPTS || cancellation.isCancelled()
                        || Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                notes.add("layer " + layer.digest() + " was transferred again after: " + e.detail());
            }
        }
    }

    private LayerOutcome convertLayerTimed(Descriptor layer, Digest diffId) throws IOException {
        MediaType type = layer.mediaType();
        if (type.isForeignLayer()) {
            return new LayerOutcome(LayerAction.SKIPPED, MediaType.ociForeignLayer(type.layerCompression()),
                    layer.digest(), layer.size(), 0, "foreign layer: kept with its urls, never fetched");
        }
        Compression declared = type.layerCompression();
        if (declared == null) {
            boolean copied = copyBlob(layer);
            return new LayerOutcome(copied ? LayerAction.COPIED : LayerAction.SKIPPED, type, layer.digest(),
                    layer.size(), 0, "not a filesystem layer (" + type + "): kept unchanged");
        }
        Compression wanted = options.compression();
        MediaType wantedType = MediaType.ociLayer(wanted);
        if (declared == wanted && (target.hasBlob(layer.digest()) || target.mountBlob(layer, source))) {
            return new LayerOutcome(LayerAction.SKIPPED, wantedType, layer.digest(), layer.size(), 0,
                    "already " + wanted.label() + " and present in the target");
        }
        try (BufferedInputStream blob = new BufferedInputStream(cancellation.guard(source.openBlob(layer)), 1 << 16)) {
            Compression actual = LayerRecompressor.sniff(blob);
            String note = actual == declared ? null
                    : "media type says " + declared.label() + " but the content is " + actual.label();
            if (actual == wanted) {
                target.putBlob(layer.withMediaType(wantedType), blob);
                bytesRead.addAndGet(layer.size());
                bytesWritten.addAndGet(layer.size());
                return new LayerOutcome(LayerAction.COPIED, wantedType, layer.digest(), layer.size(), 0, note);
            }
            try (BlobWriter writer = target.newBlob()) {
                LayerRecompressor.Pass pass;
                try {
                    pass = recompressor.recompress(blob, actual, wanted, options.effectiveLevel(), writer.stream());
                } catch (IOException decodeFailure) {
                    throw explainDecodeFailure(layer, actual, blob, decodeFailure);
                }
                bytesRead.addAndGet(layer.size());
                if (!pass.diffId().equals(diffId)) {
                    throw new RecastException(ErrorKind.DIGEST_MISMATCH, "layer decompresses to " + pass.diffId()
                            + " but the config's diff_id is " + diffId, imageName, layer.digest().toString(), null);
                }
                BlobWriter.Written written = writer.commit();
                if (!written.alreadyPresent()) {
                    bytesWritten.addAndGet(written.size());
                }
                return new LayerOutcome(LayerAction.RECOMPRESSED, wantedType, written.digest(), written.size(), 0, note);
            }
        }
    }

    /**
     * A layer that does not decode is either corrupt (its bytes do not match its digest: reading the rest of the blob
     * shows that) or intact but not valid {@code compression} data.
     */
    private RecastException explainDecodeFailure(Descriptor layer, Compression compression, InputStream blob,
                                                 IOException failure) {
        try {
            blob.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (RecastException digestMismatch) {
            return digestMismatch.in(imageName, layer.digest().toString());
        } catch (IOException readFailure) {
            return new RecastException(kindOf(failure), "layer failed: " + failure.getMessage(), imageName, layer.digest().toString(),
                    failure);
        }
        return new RecastException(ErrorKind.INVALID_IMAGE, "layer matches its digest but is not valid "
                + compression.label() + " data: " + failure.getMessage(), imageName, layer.digest().toString(), failure);
    }

    private List<LayerOutcome> awaitAll(List<Future<LayerOutcome>> pending) {
        List<LayerOutcome> out = new ArrayList<>();
        try {
            for (Future<LayerOutcome> future : pending) {
                out.add(future.get());
            }
            return out;
        } catch (ExecutionException e) {
            throw stop(asRecast(e.getCause()));
        } catch (CancellationException e) {
            throw stop(new RecastException(ErrorKind.IO, "layer conversion cancelled", imageName, null, e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw stop(new RecastException(ErrorKind.IO, "conversion interrupted", imageName, null, e));
        }
    }

    /**
     * A failed layer fails the run: the run is stopped (its other layers are interrupted, queued ones never start)
     * and its workers have left before the failure is reported — the first reason the run was stopped for.
     */
    private RuntimeException stop(RecastException failure) {
        cancellation.cancel(failure);
        layers.values().forEach(future -> future.cancel(false));
        cancellation.awaitOthers(WORKERS_LEAVE);
        return cancellation.explain(failure);
    }

    private RecastException asRecast(Throwable cause) {
        if (cause instanceof RecastException recast) {
            return recast.in(imageName, null);
        }
        return new RecastException(ErrorKind.IO, "layer conversion failed: " + cause, imageName, null, cause);
    }

    private record LayerOutcome(LayerAction action, MediaType mediaType, Digest digest, long size, long millis,
                                String note) {
        LayerOutcome withMillis(long value) {
            return new LayerOutcome(action, mediaType, digest, size, value, note);
        }
    }
}
