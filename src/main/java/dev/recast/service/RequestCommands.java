package dev.recast.service;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.convert.CacheChoice;
import dev.recast.convert.ConversionOptions;
import dev.recast.convert.VariantsFormat;
import dev.recast.convert.ReferrersMode;
import dev.recast.index.IndexRequest;
import dev.recast.index.IndexSource;
import dev.recast.model.Platform;
import dev.recast.registry.reference.ImageReference;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;

/** Turns API request bodies into engine commands, with the same checks whichever adapter received them. */
@ApplicationScoped
public class RequestCommands {
    private final ConversionService service;

    public RequestCommands(ConversionService service) {
        this.service = service;
    }

    /** A conversion as the API describes it: where from, where to, how. */
    public record Conversion(ImageReference source, ImageReference target, ConversionOptions options) {
    }

    public Conversion conversion(ConversionRequestBody body) {
        if (body == null || body.source() == null || body.source().isBlank()) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "'source' is required");
        }
        ImageReference source = service.reference(body.source());
        boolean noTarget = body.target() == null || body.target().isBlank();
        ImageReference target = Boolean.TRUE.equals(body.inPlace()) ? inPlaceTarget(source, noTarget ? null
                : service.reference(body.target())) : noTarget ? service.defaultTarget(source) : service.reference(body.target());
        return new Conversion(source, target, service.options(body.compression(), body.level(), body.platforms(),
                        body.dryRun(), body.format())
                .withCache(CacheChoice.of(body.cache(), body.cacheRepository()))
                .withVariants(ConversionOptions.variants(body.variants()), VariantsFormat.parse(body.variantsFormat()))
                .withForce(Boolean.TRUE.equals(body.force()))
                .withReferrers(ReferrersMode.parse(body.referrers()))
                .withProvenance(!Boolean.FALSE.equals(body.provenance())));
    }

    /** The source's own tag, which {@code "inPlace": true} writes; a target given as well must be that tag. */
    private static ImageReference inPlaceTarget(ImageReference source, ImageReference target) {
        if (source.tag() == null) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "'inPlace' needs a source with a tag, got " + source);
        }
        ImageReference own = source.withTag(source.tag());
        if (target != null && !target.equals(own)) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "'inPlace' writes to the source tag " + own
                    + ", but 'target' names " + target);
        }
        return own;
    }

    public IndexRequest index(IndexRequestBody body) {
        if (body == null || body.target() == null || body.target().isBlank()) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "'target' is required");
        }
        if (body.sources() == null || body.sources().isEmpty()) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "'sources' needs at least one image");
        }
        Map<String, String> platforms = body.platforms() == null ? Map.of() : body.platforms();
        for (String key : platforms.keySet()) {
            if (!body.sources().contains(key)) {
                throw new RecastException(ErrorKind.BAD_REQUEST, "'platforms' names " + key + ", which is not among the sources");
            }
        }
        List<IndexSource> sources = body.sources().stream().map(text -> new IndexSource(service.reference(text),
                platforms.containsKey(text) ? Platform.parse(platforms.get(text)) : null)).toList();
        return new IndexRequest(service.reference(body.target()), sources, Boolean.TRUE.equals(body.convert()),
                service.options(body.compression(), body.level(), null, body.dryRun()), Boolean.TRUE.equals(body.replace()),
                Boolean.TRUE.equals(body.append()), body.annotations());
    }
}
