package dev.recast.index;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.convert.Cancellation;
import dev.recast.convert.ConversionListener;
import dev.recast.convert.ConversionReport;
import dev.recast.convert.ImageConverter;
import dev.recast.convert.ImageReport;
import dev.recast.convert.RecastAnnotations;
import dev.recast.index.IndexReport.Action;
import dev.recast.model.Content;
import dev.recast.model.Descriptor;
import dev.recast.model.ImageConfig;
import dev.recast.model.ImageManifest;
import dev.recast.model.Index;
import dev.recast.model.Manifest;
import dev.recast.model.MediaType;
import dev.recast.model.Platform;
import dev.recast.registry.reference.ImageReference;
import dev.recast.registry.store.DryRunStore;
import dev.recast.registry.store.ImageConfigReader;
import dev.recast.registry.store.ImageStore;
import dev.recast.registry.store.StoreFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds an OCI image index from single-platform images and lists, like {@code regctl index create} or
 * {@code docker buildx imagetools create}: platforms read from each image's config, children made available in the
 * target repository (mounted, copied or converted) before the index is written, the tag last.
 * Platforms are written in containerd's canonical spelling (x86_64 → amd64, arm64 → arm64/v8), with the config's
 * os.version and os.features. Entries keep the order the sources were given in (entries of a list in the list's order); in append mode
 * the existing entries keep their places, replaced ones are updated in place and new ones go at the end.
 */
public final class IndexBuilder {
    private static final String ATTESTATION_DIGEST = "vnd.docker.reference.digest";
    private final StoreFactory stores;
    private final ImageConverter converter;
    private final long configLimit;

    public IndexBuilder(StoreFactory stores, ImageConverter converter, long configLimit) {
        this.stores = stores;
        this.converter = converter;
        this.configLimit = configLimit;
    }

    public IndexReport build(IndexRequest request) {
        return build(request, ConversionListener.NONE);
    }

    /** As {@link #build(IndexRequest)}, telling {@code listener} of each layer it converts. */
    public IndexReport build(IndexRequest request, ConversionListener listener) {
        long started = System.nanoTime();
        if (request.sources().isEmpty()) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "an index needs at least one source image");
        }
        if (request.target().tag() == null && request.target().reference() != null) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "cannot write to " + request.target()
                    + ": a target names a tag, not a digest");
        }
        String tag = request.target().tag() != null ? request.target().tag() : "latest";
        ImageReference targetRef = request.target().withTag(tag);
        boolean dryRun = request.options().dryRun();
        Cancellation cancellation = converter.limits().deadline(new Cancellation(), "index build", targetRef.toString());
        try (Cancellation.Work ignored = cancellation.enter();
             ImageStore realTarget = stores.open(targetRef);
             ImageStore target = dryRun ? new DryRunStore(realTarget) : realTarget) {
            Entries entries = new Entries(request.replace());
            Map<String, String> annotations = new LinkedHashMap<>();
            Optional<Content> existing = target.findManifest(tag);
            if (request.append() && existing.isPresent()) {
                keepExisting(existing.get(), target, entries, annotations);
            }
            annotations.putAll(request.annotations());
            List<ImageReport> images = new ArrayList<>();
            List<String> notes = new ArrayList<>();
            ConversionReport.Totals totals = null;
            List<String> sourceDigests = new ArrayList<>();
            for (IndexSource source : request.sources()) {
                try (ImageStore sourceStore = stores.open(source.reference())) {
                    ImageConverter.Transferred moved = converter.transfer(source.reference(), sourceStore, target,
                            targetRef, request.options(), request.convert(), listener, cancellation);
                    images.addAll(moved.images());
                    notes.addAll(moved.notes());
                    totals = moved.totals().plus(totals);
                    addSource(source, sourceStore, moved, entries);
                    sourceDigests.add(moved.source().digest().toString());
                }
            }
            annotations.put(RecastAnnotations.INDEX_SOURCES, String.join(",", sourceDigests));
            Index index = Index.create(MediaType.OCI_INDEX, null, entries.descriptors(), null, annotations);
            converter.limits().checked(index, 1, targetRef.toString());
            cancellation.commit();
            if (existing.map(e -> !e.digest().equals(index.digest())).orElse(true)) {
                target.tag(tag, index.content()); // the index's one write: by its tag, last
            }
            return new IndexReport(targetRef.toString(), index.digest(), index.mediaType(), dryRun, entries.report(),
                    images, totals, (System.nanoTime() - started) / 1_000_000, notes);
        } catch (RuntimeException e) {
            throw cancellation.explain(e);
        } finally {
            cancellation.end();
        }
    }

    private void keepExisting(Content content, ImageStore target, Entries entries, Map<String, String> annotations) {
        ImageManifest parsed = converter.limits().parse(content, 1, target.name());
        if (parsed instanceof Index index) {
            annotations.putAll(index.annotations());
            for (Descriptor child : index.manifests()) {
                Platform platform = child.platform() != null ? child.platform() : platformOf(child, target);
                entries.keep(child.withPlatform(platform));
            }
        } else {
            Manifest manifest = (Manifest) parsed;
            entries.keep(content.descriptor().withPlatform(readConfig(manifest.config(), target).platform().normalized()));
        }
    }

    private void addSource(IndexSource source, ImageStore sourceStore, ImageConverter.Transferred moved, Entries entries) {
        String name = source.reference().toString();
        ImageManifest result = ImageManifest.parse(moved.result());
        if (result instanceof Index index) {
            if (source.platform() != null) {
                throw new RecastException(ErrorKind.BAD_REQUEST, "a platform was given for " + name
                        + ", but it is a list of " + index.manifests().size() + " images: give it for single images only");
            }
            for (Descriptor child : index.manifests()) {
                Platform platform = child.platform() != null ? child.platform() : platformOf(child, sourceStore);
                entries.add(child.withPlatform(platform), name, moved.source());
            }
            return;
        }
        Manifest manifest = (Manifest) result;
        Platform platform = source.platform() != null ? source.platform().normalized()
                // the config is the same blob before and after conversion: read it where it surely is
                : fromConfig(readConfig(manifest.config(), sourceStore));
        entries.add(moved.result().descriptor().withPlatform(platform), name, moved.source());
    }

    /** The platform of an image from its config: containerd's spelling of os/architecture/variant, the rest as given. */
    private static Platform fromConfig(ImageConfig config) {
        return config.platform().normalized();
    }

    private Platform platformOf(Descriptor child, ImageStore store) {
        Content content = store.requireManifest(child.digest().toString());
        if (!(converter.limits().parse(content, 2, store.name()) instanceof Manifest manifest) || !manifest.isContainerImage()) {
            throw new RecastException(ErrorKind.INVALID_IMAGE, "index entry " + child.digest() + " has no platform and "
                    + "is not an image whose config could give one");
        }
        return fromConfig(readConfig(manifest.config(), store));
    }

    private ImageConfig readConfig(Descriptor config, ImageStore store) {
        return ImageConfigReader.read(store, config, configLimit);
    }

    /** The index entries being assembled, one per platform (attestations one per digest), in order. */
    private static final class Entries {
        private final boolean replace;
        private final Map<String, Slot> slots = new LinkedHashMap<>();

        private record Slot(Descriptor descriptor, String source, Content sourceContent, Action action) {
        }

        Entries(boolean replace) {
            this.replace = replace;
        }

        void keep(Descriptor descriptor) {
            slots.put(key(descriptor), new Slot(descriptor, null, null, Action.KEPT));
        }

        void add(Descriptor descriptor, String source, Content sourceContent) {
            String key = key(descriptor);
            Slot earlier = slots.get(key);
            Action action = Action.ADDED;
            if (earlier != null) {
                if (earlier.source() != null && !replace) {
                    throw new RecastException(ErrorKind.CONFLICT, "platform " + descriptor.platform() + " comes from both "
                            + earlier.source() + " and " + source + " (use replace to let the later one win)");
                }
                action = Action.REPLACED;
            }
            slots.put(key, new Slot(descriptor, source, sourceContent, action));
        }

        List<Descriptor> descriptors() {
            return slots.values().stream().map(Slot::descriptor).toList();
        }

        List<IndexReport.Entry> report() {
            return slots.values().stream().map(slot -> new IndexReport.Entry(slot.descriptor().platform(),
                    slot.descriptor().mediaType(), slot.descriptor().digest(), slot.descriptor().size(), slot.source(),
                    slot.sourceContent() == null ? null : slot.sourceContent().digest(), slot.action())).toList();
        }

        private static String key(Descriptor descriptor) {
            Platform platform = descriptor.platform();
            if (platform == null || platform.isUnknown() || descriptor.annotations().containsKey(ATTESTATION_DIGEST)) {
                return "digest " + descriptor.digest();
            }
            Platform normal = platform.normalized();
            return normal + (normal.osVersion() == null ? "" : " " + normal.osVersion());
        }
    }
}
