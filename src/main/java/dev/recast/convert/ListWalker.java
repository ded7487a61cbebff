package dev.recast.convert;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.model.Content;
import dev.recast.model.Descriptor;
import dev.recast.model.Digest;
import dev.recast.model.ImageManifest;
import dev.recast.model.Index;
import dev.recast.model.Manifest;
import dev.recast.model.MediaType;
import dev.recast.model.Platform;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Walks what a reference names: an image goes to the {@link ManifestConverter}; a list or index has each kept child
 * converted once per digest (however often and however deep indexes list it) and stored by digest, its attestations
 * copied and re-pointed, and becomes an OCI index (or, the way back, a Docker manifest list without attestations).
 * The walk's own result is returned unwritten, for the tag.
 */
final class ListWalker {
    private static final String ATTESTATION_DIGEST = "vnd.docker.reference.digest";

    private final ConversionRun run;
    private final ManifestConverter images;
    private final TreeCopier trees;
    private final ConvertedParts parts;
    private final EarlierResults earlier;
    private final Map<Digest, Content> childResults = new HashMap<>();
    private final V2s2ManifestWriter lists;

    ListWalker(ConversionRun run, ManifestConverter images, TreeCopier trees, ConvertedParts parts,
               EarlierResults earlier) {
        this.run = run;
        this.images = images;
        this.trees = trees;
        this.parts = parts;
        this.earlier = earlier;
        this.lists = new V2s2ManifestWriter(run);
    }

    /** Converts what a reference names (already parsed and checked against the limits); returns it unwritten. */
    Content convert(ImageManifest parsed) {
        return parsed instanceof Index index ? convertIndex(index, 1) : images.convert((Manifest) parsed, null);
    }

    private Content convertIndex(Index index, int level) {
        boolean v2s2 = run.options().format() == ManifestFormat.V2S2;
        if (v2s2) {
            lists.requireList(index, level);
        }
        List<Descriptor> entries = new ArrayList<>();
        Map<Digest, Digest> converted = new HashMap<>();
        List<Descriptor> attestations = new ArrayList<>();
        for (Descriptor child : index.manifests()) {
            if (isAttestation(child)) {
                attestations.add(child);
            } else if (!isWanted(child.platform())) {
                run.report().note("left out " + child.digest() + " (" + child.platform()
                        + "): not among the requested platforms");
            } else {
                Descriptor result = convertChild(child, level + 1);
                converted.put(child.digest(), result.digest());
                entries.add(result);
            }
        }
        if (v2s2) {
            lists.leaveOut(attestations);
            attestations.clear();
        }
        for (Descriptor attestation : attestations) {
            repoint(attestation, converted, level + 1).ifPresent(entries::add);
        }
        if (entries.isEmpty()) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "no entry of the index matches the requested platforms "
                    + run.options().platforms(), run.imageName(), null, null);
        }
        if (v2s2) {
            return lists.list(index, entries);
        }
        if (index.mediaType().equals(MediaType.OCI_INDEX) && entries.equals(index.manifests())) {
            return index.content();
        }
        return Index.create(MediaType.OCI_INDEX, index.artifactType(), entries, index.subject(),
                run.resultAnnotations(index.annotations(), index.content())).content();
    }

    /** An attestation copied unchanged and pointed at its image's result; empty when that image is left out. */
    private Optional<Descriptor> repoint(Descriptor attestation, Map<Digest, Digest> converted, int level) {
        String named = attestation.annotations().getOrDefault(ATTESTATION_DIGEST, "");
        Digest subject = Digest.isDigest(named) ? Digest.parse(named) : null;
        if (subject == null || !converted.containsKey(subject)) {
            run.report().note("left out attestation " + attestation.digest()
                    + ": the image it describes is not in the result");
            return Optional.empty();
        }
        run.manifests().byDigest(trees.copy(attestation, level));
        Map<String, String> annotations = new LinkedHashMap<>(attestation.annotations());
        annotations.put(ATTESTATION_DIGEST, converted.get(subject).toString());
        if (!subject.equals(converted.get(subject))) {
            run.report().note("attestation " + attestation.digest() + " re-pointed to " + converted.get(subject)
                    + "; its statement still names the source image " + subject);
        }
        return Optional.of(attestation.withAnnotations(annotations));
    }

    private boolean isWanted(Platform platform) {
        if (run.options().platforms().isEmpty()) {
            return true;
        }
        return platform != null && run.options().platforms().stream().anyMatch(platform::matches);
    }

    private static boolean isAttestation(Descriptor child) {
        return child.platform() != null && child.platform().isUnknown()
                && child.annotations().containsKey(ATTESTATION_DIGEST);
    }

    private Descriptor convertChild(Descriptor child, int level) {
        Content result = childResults.get(child.digest());
        if (result == null) {
            result = convertChildOnce(child, level);
            run.manifests().byDigest(result);
            childResults.put(child.digest(), result);
        }
        return child.withContent(result.mediaType(), result.digest(), result.size());
    }

    private Content convertChildOnce(Descriptor child, int level) {
        Content content = run.readChild(child);
        Optional<Content> done = parts.of(child.digest()).filter(part -> earlier.isResultOf(part, content));
        if (done.isPresent()) {
            run.report().note(child.digest() + " (" + child.platform() + ") was converted earlier, to "
                    + done.get().digest());
            return done.get();
        }
        ImageManifest parsed = run.parsed(content, level);
        return parsed instanceof Index nested ? convertIndex(nested, level)
                : images.convert((Manifest) parsed, child.platform());
    }
}
