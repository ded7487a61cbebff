package dev.recast.convert;

import dev.recast.model.Content;
import dev.recast.model.Descriptor;
import dev.recast.model.Digest;
import dev.recast.model.ImageManifest;
import dev.recast.model.Index;
import dev.recast.model.Manifest;

import java.util.HashMap;
import java.util.Map;

/**
 * Copies a manifest's tree unchanged (attestations, artifacts, images that are not containers): every blob and
 * child manifest it names, each read once per run. The manifest itself is left to its caller to write — by digest
 * as a child, by tag as the result.
 */
final class TreeCopier {
    private final ConversionRun run;
    private final BlobCopier blobs;
    /** Trees already copied, by digest: the content as parsed (a store's type is only a hint for untagged children). */
    private final Map<Digest, Content> copied = new HashMap<>();

    TreeCopier(ConversionRun run, BlobCopier blobs) {
        this.run = run;
        this.blobs = blobs;
    }

    /** Copies what a child descriptor names (read from the source once) and returns its manifest. */
    Content copy(Descriptor descriptor, int level) {
        Content done = copied.get(descriptor.digest());
        return done != null ? done : copy(run.readChild(descriptor), level);
    }

    /** Copies everything {@code content} names and returns it, with its media type as parsed. */
    Content copy(Content content, int level) {
        ImageManifest parsed = run.parsed(content, level);
        Content done = copied.get(parsed.digest());
        if (done != null) {
            return done;
        }
        if (parsed instanceof Manifest manifest) {
            blobs.copy(manifest.config());
            manifest.layers().stream().filter(layer -> !layer.mediaType().isForeignLayer()).forEach(blobs::copyLayer);
        } else {
            for (Descriptor child : ((Index) parsed).manifests()) {
                run.manifests().byDigest(copy(child, level + 1));
            }
        }
        copied.put(parsed.digest(), parsed.content());
        return parsed.content();
    }
}
