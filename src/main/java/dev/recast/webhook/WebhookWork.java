package dev.recast.webhook;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.convert.ConversionOptions;
import dev.recast.convert.ConversionReport;
import dev.recast.convert.RecastAnnotations;
import dev.recast.convert.ReferrersMode;
import dev.recast.convert.SourceImage;
import dev.recast.index.IndexRequest;
import dev.recast.index.IndexSource;
import dev.recast.inspect.ImageInspection;
import dev.recast.model.Content;
import dev.recast.model.ImageManifest;
import dev.recast.model.Index;
import dev.recast.model.Manifest;
import dev.recast.registry.reference.RegistryReference;
import dev.recast.service.ConversionService;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a planned job does against the registry, once, through {@link ConversionService}: convert the pushed digest
 * to its target (unless the tag has moved on, the image is Recast's own output or already OCI + zstd), or build the
 * index of per-arch tags. The pushed manifest is read once — the re-read of its tag that tells a newer push apart —
 * and that read is what the job inspects and converts. Returns the outcome's name; failures throw, for the caller's
 * retries.
 */
final class WebhookWork {
    private static final Logger LOG = Logger.getLogger(WebhookWork.class);

    private final ConversionService service;
    private final Consumer<WebhookJob> targetMoved;
    /** Jobs writing the same target take turns, so that the later push's conversion is the one left on the tag. */
    private final Object[] targetLocks = new Object[64];

    /** @param targetMoved told after a conversion job left its target holding the job's digest's conversion */
    WebhookWork(ConversionService service, Consumer<WebhookJob> targetMoved) {
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
        Content pushed = pushedManifest(tagged);
        if (!pushed.digest().equals(event.digest())) {
            // a newer push owns the tag (or this is a replayed delivery): converting would move the target back
            LOG.infof("webhook job=%s skipped: %s now names %s", job.describe(), tagged, pushed.digest());
            return "superseded";
        }
        if (isRecastOutput(pushed)) {
            return "ignored-own-output";
        }
        if (isReferrer(pushed)) {
            return "ignored-referrer";
        }
        SourceImage source = SourceImage.read(tagged, pushed);
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
        ConversionOptions options = service.options(action.compression(), action.level(), null, false)
                .withReferrers(ReferrersMode.parse(action.referrers()));
        ConversionReport report = service.convert(source, target, options);
        targetMoved.accept(job);
        return report.outcome().name().toLowerCase(java.util.Locale.ROOT);
    }

    String index(WebhookJob job) {
        PushEvent event = job.event();
        WebhookRule.IndexGroup group = job.rule().index();
        Matcher matcher = Pattern.compile(group.group()).matcher(event.tag());
        if (!matcher.matches()) {
            return "ignored-own-output";
        }
        Optional<Content> pushed = Optional.of(pushedManifest(archTag(event, event.tag())));
        if (isRecastOutput(pushed.get())) {
            return "ignored-own-output";
        }
        if (isReferrer(pushed.get())) {
            return "ignored-referrer";
        }
        List<IndexSource> sources = new ArrayList<>();
        for (String arch : group.platforms()) {
            String tag = event.tag().substring(0, matcher.start("arch")) + arch + event.tag().substring(matcher.end("arch"));
            // the pushed arch as just read; the others as their tags name them now
            Optional<Content> manifest = tag.equals(event.tag()) ? pushed : service.findManifest(archTag(event, tag));
            if (manifest.isEmpty()) {
                LOG.infof("webhook index for %s waits for %s", event.describe(), tag);
                return "waiting";
            }
            sources.add(new IndexSource(archTag(event, tag).atDigest(manifest.get().digest())));
        }
        service.index(new IndexRequest(job.target(), sources, Boolean.TRUE.equals(group.convert()),
                service.options(null, null, null, false), false, false, Map.of()));
        return "indexed";
    }

    private static RegistryReference archTag(PushEvent event, String tag) {
        return new RegistryReference(event.registry(), event.repository(), tag, null);
    }

    /**
     * The manifest the pushed tag names now. A registry may announce a push before it has written the tag
     * (distribution does), so a tag not there is retried like a registry failure; one gone for good fails the job.
     */
    private Content pushedManifest(RegistryReference tagged) {
        return service.findManifest(tagged).orElseThrow(() -> new RecastException(ErrorKind.UPSTREAM,
                "the pushed tag is not there (not yet written, or gone)", tagged.toString(), null, null));
    }

    private static boolean isRecastOutput(Content manifest) {
        Map<String, String> annotations = ImageManifest.parse(manifest).annotations();
        return annotations.containsKey(RecastAnnotations.SOURCE_DIGEST) || annotations.containsKey(RecastAnnotations.INDEX_SOURCES)
                || annotations.containsKey(RecastAnnotations.REFERRER_SOURCE);
    }

    /** Anything with a subject (an SBOM, a signature, Recast's re-attached copies) belongs to an image: not a source. */
    private static boolean isReferrer(Content manifest) {
        return switch (ImageManifest.parse(manifest)) {
            case Manifest m -> m.subject() != null;
            case Index i -> i.subject() != null;
        };
    }
}
