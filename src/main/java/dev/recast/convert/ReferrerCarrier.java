package dev.recast.convert;

import dev.recast.convert.ReferrerReport.Action;
import dev.recast.model.Content;
import dev.recast.model.Descriptor;
import dev.recast.model.Digest;
import dev.recast.model.ImageManifest;
import dev.recast.model.Index;
import dev.recast.model.Manifest;
import dev.recast.model.MediaType;
import dev.recast.registry.referrers.DiscoveredReferrers;
import dev.recast.registry.referrers.Referrer;
import dev.recast.registry.referrers.ReferrerAttacher;
import dev.recast.registry.referrers.ReferrerDiscovery;
import dev.recast.registry.referrers.ReferrerKind;
import dev.recast.registry.referrers.ReferrerSource;
import dev.recast.registry.referrers.RejectedReferrer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Carries what is attached to a conversion's source (and to each image of its index) to the result: SBOMs and
 * attestations become new referrers of the converted manifests (same blobs, a {@code subject} naming the result, an
 * annotation naming the referrer they copy); signatures are reported, never copied, as they sign the old digest.
 * cosign's {@code .att}/{@code .sbom} tags are re-attached as OCI referrers, not as cosign tags of the new digest: the
 * image-spec's scheme is what registries, ORAS and admission controllers look up, and one index entry per referrer
 * merges safely where cosign keeps all attestations in one manifest a writer would have to rewrite.
 * Runs before the tag moves, so a reader who sees the new tag sees its SBOMs, and a failure moves no tag.
 */
final class ReferrerCarrier {
    private final ConversionRun run;
    private final ReferrerAttacher attacher;
    private final ReferrerDiscovery discovery = new ReferrerDiscovery();
    private final BlobCopier blobs;

    ReferrerCarrier(ConversionRun run, ReferrerAttacher attacher) {
        this.run = run;
        this.attacher = attacher;
        this.blobs = new BlobCopier(run);
    }

    /** Looks for the referrers of {@code source} and of each image of it, and carries them to {@code result}. */
    List<ReferrerReport> carry(Content source, Content result) {
        if (run.options().referrers() == ReferrersMode.SKIP) {
            return List.of();
        }
        boolean sameRepository = run.source().name().equals(run.target().name());
        List<ReferrerReport> reports = new ArrayList<>();
        for (Map.Entry<Digest, Descriptor> subject : subjects(source, result).entrySet()) {
            if (sameRepository && subject.getKey().equals(subject.getValue().digest())) {
                continue; // the result is the source itself, right where its referrers are
            }
            Map<Digest, Digest> carried = null;
            DiscoveredReferrers found = discovery.survey(run.source(), subject.getKey());
            for (RejectedReferrer rejected : found.rejected()) {
                reports.add(new ReferrerReport(rejected.subject(), ReferrerKind.OTHER, rejected.digest(), null,
                        rejected.foundIn(), Action.SKIPPED, null, rejected.reason() + ": not copied"));
            }
            for (Referrer referrer : found.accepted()) {
                if (isCarried(referrer) && carried == null) {
                    carried = carriedEarlier(subject.getValue());
                }
                reports.add(carryOne(referrer, subject.getValue(), result, carried));
            }
        }
        return reports;
    }

    /** Each source manifest and the converted manifest it became: what the reference names, and each image. */
    private Map<Digest, Descriptor> subjects(Content source, Content result) {
        Map<Digest, Descriptor> converted = new HashMap<>();
        converted.put(result.digest(), result.descriptor());
        if (ImageManifest.parse(result) instanceof Index index) {
            index.manifests().forEach(d -> converted.put(d.digest(), new Descriptor(d.mediaType(), d.digest(), d.size())));
        }
        Map<Digest, Descriptor> subjects = new LinkedHashMap<>();
        subjects.put(source.digest(), result.descriptor());
        for (ImageReport image : run.report().images()) {
            Descriptor target = converted.get(image.targetDigest());
            if (target != null) {
                subjects.putIfAbsent(image.sourceDigest(), target);
            }
        }
        return subjects;
    }

    private boolean isCarried(Referrer referrer) {
        return run.options().referrers() == ReferrersMode.COPY
                && (referrer.kind() == ReferrerKind.SBOM || referrer.kind() == ReferrerKind.ATTESTATION);
    }

    /**
     * The source referrers an earlier run already attached to {@code result}: source digest → copy. Only referrers
     * whose manifest is there and names {@code result} (what discovery takes; cosign tags name no subject) count, and
     * the annotation read is the manifest's own, not what an index claims about it.
     */
    private Map<Digest, Digest> carriedEarlier(Descriptor result) {
        Map<Digest, Digest> carried = new HashMap<>();
        for (Referrer existing : discovery.discover(run.target(), result.digest())) {
            if (existing.foundIn() == ReferrerSource.COSIGN_TAG) {
                continue;
            }
            String from = existing.descriptor().annotations().get(RecastAnnotations.REFERRER_SOURCE);
            if (from != null && Digest.isDigest(from)) {
                carried.put(Digest.parse(from), existing.digest());
            }
        }
        return carried;
    }

    private ReferrerReport carryOne(Referrer referrer, Descriptor result, Content topResult,
                                    Map<Digest, Digest> carried) {
        if (referrer.kind() == ReferrerKind.SIGNATURE) {
            String signed = "source signed (" + scheme(referrer) + ", " + referrer.digest() + ")";
            return report(referrer, Action.REPORTED, null, referrer.subject().equals(result.digest())
                    ? signed + "; the digest is unchanged, so the signature still holds where it is; not copied"
                    : signed + ", converted image unsigned");
        }
        if (referrer.kind() == ReferrerKind.OTHER) {
            return report(referrer, Action.SKIPPED, null, "artifact type " + referrer.artifactType()
                    + " is not an SBOM or attestation: not copied");
        }
        if (!isCarried(referrer)) {
            return report(referrer, Action.REPORTED, null, "listed only (referrers: report)");
        }
        if (carried.containsKey(referrer.digest())) {
            return report(referrer, Action.COPIED, carried.get(referrer.digest()), "attached by an earlier run");
        }
        Optional<Content> original = run.source().findManifest(referrer.digest().toString());
        if (original.isEmpty()) {
            return report(referrer, Action.SKIPPED, null, "its manifest is gone from the source: not copied");
        }
        if (!(ImageManifest.parse(original.get()) instanceof Manifest manifest)) {
            return report(referrer, Action.SKIPPED, null, "it is an index, not an artifact manifest: not copied");
        }
        String problem = ReferrerBlobLimits.problem(manifest, run.limits());
        if (problem != null) {
            return report(referrer, Action.SKIPPED, null, problem + ": not copied");
        }
        Manifest copy = copyOf(referrer, manifest, result);
        if (run.options().dryRun()) {
            return report(referrer, Action.PLANNED, copy.digest(), "would be attached to " + result.digest());
        }
        blobs.copy(copy.config());
        copy.layers().forEach(blobs::copy);
        if (result.digest().equals(topResult.digest())) {
            // the subject is there before its referrer (the walker stored the images of an index already); the tag
            // write that follows stores it again
            run.manifests().byDigest(topResult);
        }
        attacher.attach(run.target(), copy.content());
        run.report().wrote(copy.content().size());
        return report(referrer, Action.COPIED, copy.digest(), "attached to " + result.digest());
    }

    /**
     * The source's referrer manifest pointed at the result: the same config and layers, its annotations plus the
     * one naming it. A cosign tag's manifest has no artifact type; its payload's media type becomes one.
     */
    private static Manifest copyOf(Referrer referrer, Manifest manifest, Descriptor result) {
        String artifactType = manifest.artifactType() != null ? manifest.artifactType()
                : referrer.foundIn() == ReferrerSource.COSIGN_TAG ? referrer.artifactType() : null;
        Map<String, String> annotations = new LinkedHashMap<>(manifest.annotations());
        annotations.put(RecastAnnotations.REFERRER_SOURCE, referrer.digest().toString());
        return Manifest.create(MediaType.OCI_MANIFEST, artifactType, manifest.config(), manifest.layers(), result,
                annotations);
    }

    private static String scheme(Referrer referrer) {
        String type = referrer.artifactType() == null ? "" : referrer.artifactType();
        if (referrer.foundIn() == ReferrerSource.COSIGN_TAG || type.contains("cosign") || type.contains("sigstore")) {
            return "cosign";
        }
        return type.contains("notary") ? "notation" : type;
    }

    private static ReferrerReport report(Referrer referrer, Action action, Digest copy, String note) {
        return new ReferrerReport(referrer.subject(), referrer.kind(), referrer.digest(), referrer.artifactType(),
                referrer.foundIn(), action, copy, note);
    }
}
