package dev.recast.lambda;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.convert.ConversionListener;
import dev.recast.convert.ConversionOptions;
import dev.recast.convert.ConversionReport;
import dev.recast.convert.ConvertedParts;
import dev.recast.inspect.ImageInspection;
import dev.recast.model.Content;
import dev.recast.model.Digest;
import dev.recast.model.Platform;
import dev.recast.registry.reference.ImageReference;
import dev.recast.service.ConversionService;
import dev.recast.service.ConversionSlots;
import dev.recast.service.RequestCommands;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Splits a list or index too large for one invocation into one SQS message per platform. Each message converts its
 * platform's image into a part tag ({@code TAG-OS-ARCH[-VARIANT]}) of the target repository; the message that finds
 * every part present converts the whole list, reusing the parts, and only then moves the target tag. Nothing waits
 * anywhere: the registry holds the parts, each message carries the plan. The result is byte for byte what one
 * invocation would have written.
 */
@ApplicationScoped
public class PlatformFanOut {
    private static final Logger LOG = Logger.getLogger(PlatformFanOut.class);

    private final ConversionService service;
    private final LambdaConfig config;
    private final ObjectMapper json;
    private volatile PartQueue queue;

    public PlatformFanOut(ConversionService service, LambdaConfig config, ObjectMapper json) {
        this.service = service;
        this.config = config;
        this.json = json;
    }

    /** What a fan-out started: one part per platform, each a message on the queue. */
    @RegisterForReflection
    public record Receipt(String outcome, String source, String target, List<Part> parts, String note) {
    }

    @RegisterForReflection
    public record Part(String platform, String source, String target) {
    }

    /** What one part message did when the others were not all done yet. */
    @RegisterForReflection
    public record PartDone(String outcome, String part, List<String> waitingFor) {
    }

    /** A list or index, with a queue to fan out to, whose platforms are worth splitting (or must be). */
    public boolean shouldSplit(ImageInspection image, boolean fitsInTimeLeft) {
        if (config.fanoutQueueUrl().isEmpty() || !image.mediaType().isIndex() || images(image, List.of()).size() < 2) {
            return false;
        }
        return !fitsInTimeLeft || config.fanoutAboveBytes().map(limit -> image.layerBytes() > limit).orElse(false);
    }

    /** Sends one message per platform; nothing is written to the registry here. */
    public Receipt split(RequestCommands.Conversion conversion, ImageInspection image) {
        if (conversion.target().tag() == null) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "a fan-out needs a target tag to name its parts after");
        }
        ConversionOptions options = conversion.options();
        ImageReference wholeSource = conversion.source().atDigest(image.digest());
        Map<String, String> parts = new LinkedHashMap<>();
        List<Part> receipts = new ArrayList<>();
        for (ImageInspection.PlatformImage platform : images(image, options.platforms())) {
            ImageReference partTarget = conversion.target().withTag(partTag(conversion.target().tag(), platform.platform()));
            parts.put(platform.digest().toString(), partTarget.toString());
            receipts.add(new Part(platform.platform().toString(), conversion.source().atDigest(platform.digest()).toString(),
                    partTarget.toString()));
        }
        List<String> platforms = options.platforms().stream().map(Platform::toString).toList();
        for (Part part : receipts) {
            FanOutPart message = new FanOutPart(part.source(), part.target(), wholeSource.toString(),
                    conversion.target().toString(), options.compression().label(), options.level(), platforms, parts);
            queue().send(write(Map.of("recastPart", message)));
        }
        LOG.infof("fan-out source=%s target=%s parts=%d", wholeSource, conversion.target(), receipts.size());
        return new Receipt("FANNED_OUT", wholeSource.toString(), conversion.target().toString(), receipts,
                receipts.size() + " part messages sent to " + config.fanoutQueueUrl().orElseThrow() + "; the target tag "
                        + "moves when the last part is done");
    }

    /** Converts one part; the part that finds all others done converts the whole list and moves the tag. */
    public Object runPart(FanOutPart part, TimeBudget budget) {
        ConversionOptions options = service.options(part.compression(), part.level(), part.platforms(), false);
        ImageReference source = service.reference(part.source());
        ImageReference target = service.reference(part.target());
        budget.checkFits(service.inspect(source));
        try (ConversionSlots.Slot ignored = service.claimSlot()) {
            service.convertInSlot(source, target, new ConversionOptions(options.compression(), options.level(), List.of(),
                    false).withCache(options.cache()), ConversionListener.NONE, ConvertedParts.NONE, budget.deadline());
            Map<Digest, Content> done = new HashMap<>();
            List<String> waiting = new ArrayList<>();
            part.parts().forEach((sourceDigest, partTarget) -> {
                Optional<Content> converted = service.findManifest(service.reference(partTarget));
                converted.ifPresentOrElse(c -> done.put(Digest.parse(sourceDigest), c), () -> waiting.add(partTarget));
            });
            if (!waiting.isEmpty()) {
                return new PartDone("PART_CONVERTED", part.target(), waiting);
            }
            ConversionReport whole = service.convertInSlot(service.reference(part.wholeSource()),
                    service.reference(part.wholeTarget()), options, ConversionListener.NONE, new ConvertedParts(done),
                    budget.deadline());
            LOG.infof("fan-out assembled source=%s target=%s digest=%s", part.wholeSource(), part.wholeTarget(),
                    whole.targetDigest());
            return whole;
        }
    }

    /** The images of a list worth converting: platform known, not an attestation, among the wanted platforms. */
    private static List<ImageInspection.PlatformImage> images(ImageInspection image, List<Platform> wanted) {
        return image.platforms().stream()
                .filter(p -> p.note() == null && p.platform() != null && !p.platform().isUnknown())
                .filter(p -> wanted.isEmpty() || wanted.stream().anyMatch(p.platform()::matches))
                .toList();
    }

    static String partTag(String tag, Platform platform) {
        String suffix = "-" + platform.os() + "-" + platform.architecture()
                + (platform.variant() == null ? "" : "-" + platform.variant());
        String clean = suffix.replaceAll("[^A-Za-z0-9_.-]", "_");
        return (tag.length() + clean.length() > 128 ? tag.substring(0, 128 - clean.length()) : tag) + clean;
    }

    private PartQueue queue() {
        if (queue == null) {
            queue = new SqsPartQueue(config.fanoutQueueUrl().orElseThrow(), config.awsEndpointOverride().map(URI::create),
                    config.region());
        }
        return queue;
    }

    private String write(Object message) {
        try {
            return json.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
