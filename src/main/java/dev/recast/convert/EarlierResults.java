package dev.recast.convert;

import dev.recast.RecastException;
import dev.recast.model.Content;
import dev.recast.model.Descriptor;
import dev.recast.model.Digest;
import dev.recast.model.ImageManifest;
import dev.recast.model.Index;
import dev.recast.model.Manifest;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/** Recognises a manifest in the target as this conversion's earlier, complete result: then nothing is done again. */
final class EarlierResults {
    private final ConversionRun run;

    EarlierResults(ConversionRun run) {
        this.run = run;
    }

    /** True when {@code existing} was produced from {@code sourceContent} with these options and is complete. */
    boolean isResultOf(Content existing, Content sourceContent) {
        return isCompleteResult(existing, sourceContent.digest().toString());
    }

    /**
     * True when {@code content} is itself a complete result of these options (its tag was converted in place, e.g.
     * into a variants index, by an earlier run): converting it again would give nothing new.
     */
    boolean isOwnResult(Content content) {
        return isCompleteResult(content, null);
    }

    /** @param sourceDigest the source it must name; null: any */
    private boolean isCompleteResult(Content content, String sourceDigest) {
        ImageManifest parsed;
        try {
            parsed = run.parsed(content, 1);
        } catch (RecastException e) {
            return false;
        }
        String named = parsed.annotations().get(RecastAnnotations.SOURCE_DIGEST);
        return named != null && (sourceDigest == null || sourceDigest.equals(named))
                && run.options().label().equals(parsed.annotations().get(RecastAnnotations.CONVERSION))
                && isComplete(parsed, 1, new HashSet<>());
    }

    private boolean isComplete(ImageManifest manifest, int level, Set<Digest> seen) {
        if (manifest instanceof Manifest image) {
            return run.target().hasBlob(image.config().digest()) && image.layers().stream()
                    .allMatch(layer -> layer.mediaType().isForeignLayer() || run.target().hasBlob(layer.digest()));
        }
        for (Descriptor child : ((Index) manifest).manifests()) {
            if (!seen.add(child.digest())) {
                continue;
            }
            Optional<Content> stored = run.target().findManifest(child.digest().toString());
            if (stored.isEmpty()) {
                return false;
            }
            ImageManifest parsed;
            try {
                parsed = ImageManifest.parse(stored.get());
            } catch (RecastException e) {
                continue; // a child we cannot parse (an artifact) counts as present once its manifest is
            }
            if (!isComplete(run.limits().checked(parsed, level + 1, run.imageName()), level + 1, seen)) {
                return false;
            }
        }
        return true;
    }
}
