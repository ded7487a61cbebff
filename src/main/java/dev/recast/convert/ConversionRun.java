package dev.recast.convert;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.model.Content;
import dev.recast.model.Descriptor;
import dev.recast.model.ImageManifest;
import dev.recast.registry.store.ImageStore;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every part of one conversion shares: where it reads and writes, how, within which limits, what stops it,
 * what it reports, and the one writer of its manifests.
 *
 * @param imageName the image asked for, named in every error
 */
record ConversionRun(ImageStore source, ImageStore target, ConversionOptions options, String imageName,
                     ImageConverter.Limits limits, Cancellation cancellation, RunReport report, ManifestWriter manifests) {

    static ConversionRun start(ImageStore source, ImageStore target, ConversionOptions options, String imageName,
                               ImageConverter.Limits limits, Cancellation cancellation) {
        RunReport report = new RunReport();
        return new ConversionRun(source, target, options, imageName, limits, cancellation, report,
                new ManifestWriter(target, cancellation, report));
    }

    /** Parses a manifest or index read at {@code level} (1: what the reference names) and checks it against the limits. */
    ImageManifest parsed(Content content, int level) {
        return limits.parse(content, level, imageName);
    }

    /** Reads a manifest an index names from the source, once: the caller keeps what it needs of it. */
    Content readChild(Descriptor descriptor) {
        Content content = source.requireManifest(descriptor.digest().toString());
        if (descriptor.size() != content.size()) {
            throw new RecastException(ErrorKind.DIGEST_MISMATCH, "child manifest " + descriptor.digest() + " has "
                    + content.size() + " bytes but its descriptor says " + descriptor.size(), imageName, null, null);
        }
        return content;
    }

    /** A result's annotations: its source's, plus where it came from and how it was made (so a rerun recognises it). */
    Map<String, String> resultAnnotations(Map<String, String> sourceAnnotations, Content sourceContent) {
        Map<String, String> annotations = new LinkedHashMap<>(sourceAnnotations);
        annotations.put(RecastAnnotations.SOURCE_DIGEST, sourceContent.digest().toString());
        annotations.put(RecastAnnotations.CONVERSION, options.label());
        return annotations;
    }
}
