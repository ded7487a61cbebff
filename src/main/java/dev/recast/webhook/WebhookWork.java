package dev.recast.webhook;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.convert.ConversionOptions;
import dev.recast.convert.ConversionReport;
import dev.recast.convert.RecastAnnotations;
import dev.recast.index.IndexRequest;
import dev.recast.index.IndexSource;
import dev.recast.inspect.ImageInspection;
import dev.recast.model.Content;
import dev.recast.model.ImageManifest;
import dev.recast.registry.ImageStore;
import dev.recast.registry.RegistryReference;
import dev.recast.service.ConversionService;
import dev.recast.service.RecastEngine;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a planned job does against the registry, once: convert the pushed digest to its target (unless the tag has
 * moved on, the image is Recast's own output or already OCI + zstd), or build the index of per-arch tags. Returns
 * the outcome's name; failures throw, for the caller's retries.
 */
final class WebhookWork {
    private static final Logger LOG = Logger.getLogger(WebhookWork.class);

    private final RecastEngine engine;
    private final ConversionService service;
    private final Consumer<WebhookJob> targetMoved;
    /** Jobs writing the same target take turns, so that the later push's conversion is the one left on the tag. */
    private final Object[] targetLocks = new Object[64];

    /** @param targetMoved told after a conversion job left its target holding the job's digest's conversion */
    WebhookWork(RecastEngine engine, ConversionService service, Consumer<WebhookJob> targetMoved) {
        this.engine = engine;
        this.service = service;
        this.targetMoved = targetMoved;
        Arrays.setAll(targetLocks, i -> new Object());
    }

    String convert(WebhookJob job) {
        synchronized (targetLocks[Math.floorMod(job.target().toString().hashCode(), targetLocks.length)]) {
            return convertLocked(job);
        }
    }

    private String convertLocked(WebhookJob job) {
        PushEvent event = job.event();
        WebhookRule.Convert action = job.rule().convert();
        RegistryReference tagged = new RegistryReference(event.registry(), event.repository(), event.tag(), null);
        // distribution notifies a push before it writes the tag: a tag not there yet is worth another try
        Content pushed = service.findManifest(tagged).orElseThrow(() -> new RecastException(ErrorKind.UPSTREAM,
                "the pushed tag is not in the registry (yet, or any more)", tagged.toString(), null, null));
        if (!pushed.digest().equals(event.digest())) {
            // a newer push owns the tag (or this is a replayed delivery): converting would move the target back
            LOG.infof("webhook job=%s skipped: %s now names %s", job.describe(), tagged, pushed.digest());
            return "superseded";
        }
        if (isRecastOutput(pushed)) {
            return "ignored-own-output";
        }
        RegistryReference source = tagged.atDigest(pushed.digest());
        ImageInspection inspection = service.inspect(source);
        if (inspection.ociZstd()) {
            return "ignored-already-oci-zstd";
        }
        RegistryReference target = job.target();
        if (target.registry().equals(event.registry()) && target.repository().equals(event.repository())
                && target.tag().equals(event.tag()) && !Boolean.TRUE.equals(action.inPlace())) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "rule target " + target + " is the pushed tag itself; set "
                    + "inPlace to replace it");
        }
        ConversionOptions options = service.options(action.compression(), action.level(), null, false);
        ConversionReport report = service.convert(source, target, options);
        targetMoved.accept(job);
        return report.outcome().name().toLowerCase(java.util.Locale.ROOT);
    }

    String index(WebhookJob job) {
        PushEvent event = job.event();
        WebhookRule.IndexGroup group = job.rule().index();
        Matcher matcher = Pattern.compile(group.group()).matcher(event.tag());
        if (!matcher.matches() || isRecastOutput(pushedManifest(event))) {
            return "ignored-own-output";
        }
        List<IndexSource> sources = new ArrayList<>();
        try (ImageStore store = engine.stores().open(new RegistryReference(event.registry(), event.repository(), event.tag(), null))) {
            for (String arch : group.platforms()) {
                String tag = event.tag().substring(0, matcher.start("arch")) + arch + event.tag().substring(matcher.end("arch"));
                Content manifest = store.findManifest(tag).orElse(null);
                if (manifest == null) {
                    LOG.infof("webhook index for %s waits for %s", event.describe(), tag);
                    return "waiting";
                }
                sources.add(new IndexSource(new RegistryReference(event.registry(), event.repository(), null, manifest.digest())));
            }
        }
        service.index(new IndexRequest(job.target(), sources, Boolean.TRUE.equals(group.convert()),
                service.options(null, null, null, false), false, false, Map.of()));
        return "indexed";
    }

    private Content pushedManifest(PushEvent event) {
        RegistryReference ref = new RegistryReference(event.registry(), event.repository(), event.tag(), event.digest());
        try (ImageStore store = engine.stores().open(ref)) {
            return store.findManifest(ref.reference()).orElseThrow(() -> new RecastException(ErrorKind.NOT_FOUND,
                    "the pushed image is gone", ref.toString(), null, null));
        }
    }

    private static boolean isRecastOutput(Content manifest) {
        Map<String, String> annotations = ImageManifest.parse(manifest).annotations();
        return annotations.containsKey(RecastAnnotations.SOURCE_DIGEST) || annotations.containsKey(RecastAnnotations.INDEX_SOURCES);
    }
}
