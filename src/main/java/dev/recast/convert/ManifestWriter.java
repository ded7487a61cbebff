package dev.recast.convert;

import dev.recast.model.Content;
import dev.recast.model.Digest;
import dev.recast.registry.store.ImageStore;

import java.util.HashSet;
import java.util.Set;

/**
 * The one writer of a run's manifests. Manifests that others name (the images and indexes of a list, attestations)
 * are stored by digest, each once per run, after the blobs they name; what the reference names is written once, by
 * its tag, last — so an index of N images takes N + 1 manifest writes, and a failed run never moves a tag.
 */
final class ManifestWriter {
    private final ImageStore target;
    private final Cancellation cancellation;
    private final RunReport report;
    private final Set<Digest> stored = new HashSet<>();

    ManifestWriter(ImageStore target, Cancellation cancellation, RunReport report) {
        this.target = target;
        this.cancellation = cancellation;
        this.report = report;
    }

    /** Stores a manifest by its digest, unless this run stored it already. */
    synchronized void byDigest(Content manifest) {
        if (stored.contains(manifest.digest())) {
            return;
        }
        cancellation.check();
        target.putManifest(manifest);
        stored.add(manifest.digest());
        report.wrote(manifest.size());
    }

    /**
     * Stores the run's result under its tag: the run's last write, made after it {@linkplain Cancellation#commit()
     * committed}. The tag write stores the manifest as well; nothing writes it by digest before.
     */
    synchronized void tag(String tag, Content manifest) {
        target.tag(tag, manifest);
        stored.add(manifest.digest());
        report.wrote(manifest.size());
    }
}
