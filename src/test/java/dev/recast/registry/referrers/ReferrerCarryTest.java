package dev.recast.registry.referrers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recast.convert.ConversionOptions;
import dev.recast.convert.ConversionReport;
import dev.recast.convert.ImageConverter;
import dev.recast.convert.RecastAnnotations;
import dev.recast.convert.ReferrerReport;
import dev.recast.convert.ReferrerReport.Action;
import dev.recast.convert.ReferrersMode;
import dev.recast.model.Content;
import dev.recast.model.Descriptor;
import dev.recast.model.Digest;
import dev.recast.model.ImageManifest;
import dev.recast.model.Index;
import dev.recast.registry.ImageStores;
import dev.recast.registry.http.RegistrySettings;
import dev.recast.registry.http.TransferCounters;
import dev.recast.registry.reference.ImageReference;
import dev.recast.registry.reference.RegistryReference;
import dev.recast.registry.store.ImageStore;
import dev.recast.testing.ExternalTools;
import dev.recast.testing.LabRegistry;
import dev.recast.testing.ReferrerFixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import static dev.recast.testing.RegistryImages.rawManifest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Conversions carry SBOMs and attestations to the converted image and report signatures, on a real distribution 2.8
 * registry (no referrers API: everything goes through the fallback tag index and cosign's tags).
 */
@Tag("registry")
class ReferrerCarryTest {
    private final LabRegistry lab = LabRegistry.plain();
    private final ImageStores stores = new ImageStores(RegistrySettings.defaults());
    private final ImageConverter converter = new ImageConverter(stores, 3, ImageConverter.Limits.DEFAULT);

    @AfterEach
    void close() {
        converter.close();
        stores.close();
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private ImageStore store(String repository) {
        return stores.open(RegistryReference.parse(lab.host() + "/" + repository + ":x"));
    }

    private ConversionReport convert(String from, String to, ConversionOptions options) {
        return converter.convert(ImageReference.parse(lab.ref(from)), ImageReference.parse(lab.ref(to)), options);
    }

    /** A copy of a fixture (all of its platforms) in a repository of its own, with an SBOM, a cosign .att and .sig. */
    private Map<String, Digest> signedImageWithSbom(String fixture, String repository) {
        ExternalTools.check("skopeo", "copy", "-q", "--all", "--src-tls-verify=false", "--dest-tls-verify=false",
                lab.ref(fixture), lab.ref(repository + ":v1"));
        ImageStore source = store(repository);
        Descriptor subject = source.requireManifest("v1").descriptor();
        ReferrerArtifact sbom = ReferrerFixtures.sbom(subject, repository);
        new ReferrerAttacher().attach(source, sbom);
        return Map.of("subject", subject.digest(), "sbom", sbom.manifest().digest(),
                "att", ReferrerFixtures.cosignAttestation(source, subject).digest(),
                "sig", ReferrerFixtures.cosignSignature(source, subject).digest());
    }

    @Test
    void sbomAndAttestationAreFoundFromTheConvertedDigestAndTheSignatureIsReported() {
        String repository = unique("carry/app");
        Map<String, Digest> source = signedImageWithSbom("fixtures/hello:v2s2", repository);

        ConversionReport report = convert(repository + ":v1", repository + ":v1-oci", ConversionOptions.DEFAULT);

        Map<Digest, ReferrerReport> reported = report.referrers().stream()
                .collect(Collectors.toMap(ReferrerReport::digest, r -> r));
        assertEquals(Set.of(source.get("sbom"), source.get("att"), source.get("sig")), reported.keySet());
        assertEquals(Action.COPIED, reported.get(source.get("sbom")).action());
        assertEquals(Action.COPIED, reported.get(source.get("att")).action());
        assertEquals(Action.REPORTED, reported.get(source.get("sig")).action());
        assertEquals(ReferrerKind.SIGNATURE, reported.get(source.get("sig")).kind());
        assertEquals("source signed (cosign, " + source.get("sig") + "), converted image unsigned",
                reported.get(source.get("sig")).note());

        // from the converted digest, through the fallback tag index: the SBOM and the attestation, nothing else
        List<Referrer> found = new ReferrerDiscovery().discover(store(repository), report.targetDigest());
        Map<ReferrerKind, Referrer> byKind = found.stream().collect(Collectors.toMap(Referrer::kind, r -> r));
        assertEquals(Set.of(ReferrerKind.SBOM, ReferrerKind.ATTESTATION), byKind.keySet());
        assertTrue(found.stream().allMatch(r -> r.foundIn() == ReferrerSource.FALLBACK_TAG));
        assertEquals(source.get("sbom").toString(), byKind.get(ReferrerKind.SBOM).descriptor().annotations()
                .get(RecastAnnotations.REFERRER_SOURCE));
        assertEquals(reported.get(source.get("att")).copy(), byKind.get(ReferrerKind.ATTESTATION).digest());

        // and independently, with skopeo: the copied attestation names the converted image and keeps its payload
        JsonNode attestation = rawManifest(lab, repository + "@" + byKind.get(ReferrerKind.ATTESTATION).digest());
        assertEquals(report.targetDigest().toString(), attestation.path("subject").path("digest").asText());
        assertEquals(ReferrerFixtures.DSSE.value(), attestation.path("artifactType").asText());
        JsonNode sourceAttestation = rawManifest(lab, repository + "@" + source.get("att"));
        assertEquals(sourceAttestation.path("layers"), attestation.path("layers"));
        assertEquals(List.of(), lab.tags(repository).stream()
                .filter(t -> t.startsWith(ReferrerTags.fallback(report.targetDigest()) + ".")).toList(),
                "no cosign tags for the converted image: its signature is not copied");
    }

    @Test
    void aRerunFindsTheCopiesAndWritesNothing() {
        String repository = unique("carry/rerun");
        signedImageWithSbom("fixtures/hello:v2s2", repository);
        convert(repository + ":v1", repository + ":v1-oci", ConversionOptions.DEFAULT);
        TransferCounters.Snapshot before = stores.counters().snapshot();

        ConversionReport again = convert(repository + ":v1", repository + ":v1-oci", ConversionOptions.DEFAULT);

        TransferCounters.Snapshot delta = stores.counters().snapshot().minus(before);
        assertEquals(ConversionReport.Outcome.ALREADY_CONVERTED, again.outcome());
        assertEquals(0, delta.manifestsPut() + delta.tagsPut() + delta.blobsUploaded());
        assertEquals(2, again.referrers().stream().filter(r -> r.action() == Action.COPIED
                && r.note().equals("attached by an earlier run")).count());
    }

    @Test
    void anIndexCarriesTheReferrersOfItsImagesToTheirConvertedImages() {
        String repository = unique("carry/multi");
        signedImageWithSbom("fixtures/multi:latest", repository);
        ImageStore source = store(repository);
        Index list = (Index) ImageManifest.parse(source.requireManifest("v1"));
        Content child = source.requireManifest(list.manifests().get(1).digest().toString());
        ReferrerArtifact childSbom = ReferrerFixtures.sbom(child.descriptor(), "child");
        new ReferrerAttacher().attach(source, childSbom);

        ConversionReport report = convert(repository + ":v1", repository + ":v1-oci", ConversionOptions.DEFAULT);

        Digest convertedChild = report.images().stream().filter(i -> i.sourceDigest().equals(child.digest()))
                .findFirst().orElseThrow().targetDigest();
        List<Digest> onChild = new ReferrerDiscovery().discover(store(repository), convertedChild).stream()
                .map(Referrer::digest).toList();
        ReferrerReport childReport = report.referrers().stream().filter(r -> r.digest().equals(childSbom.manifest().digest()))
                .findFirst().orElseThrow();
        assertEquals(List.of(childReport.copy()), onChild);
        assertEquals(child.digest(), childReport.subject());
        Set<ReferrerKind> onIndex = new ReferrerDiscovery().discover(store(repository), report.targetDigest()).stream()
                .map(Referrer::kind).collect(Collectors.toSet());
        assertEquals(Set.of(ReferrerKind.SBOM, ReferrerKind.ATTESTATION), onIndex);
    }

    @Test
    void reportAndDryRunListEverythingAndWriteNoReferrer() {
        String repository = unique("carry/plan");
        Map<String, Digest> source = signedImageWithSbom("fixtures/hello:v2s2", repository);

        ConversionReport reported = convert(repository + ":v1", repository + ":reported",
                ConversionOptions.DEFAULT.withReferrers(ReferrersMode.REPORT));
        ConversionReport planned = convert(repository + ":v1", repository + ":planned",
                ConversionOptions.DEFAULT.withDryRun(true));
        ConversionReport skipped = convert(repository + ":v1", repository + ":skipped",
                ConversionOptions.DEFAULT.withReferrers(ReferrersMode.SKIP));

        assertEquals(Set.of(Action.REPORTED), reported.referrers().stream().map(ReferrerReport::action)
                .collect(Collectors.toSet()));
        assertEquals(3, reported.referrers().size());
        Map<Digest, ReferrerReport> plan = planned.referrers().stream()
                .collect(Collectors.toMap(ReferrerReport::digest, r -> r));
        assertEquals(Action.PLANNED, plan.get(source.get("sbom")).action());
        assertNotNull(plan.get(source.get("sbom")).copy());
        assertEquals(Action.REPORTED, plan.get(source.get("sig")).action());
        assertEquals(List.of(), skipped.referrers());
        assertEquals(List.of(), new ReferrerDiscovery().discover(store(repository), reported.targetDigest()));
        assertTrue(lab.tags(repository).stream().noneMatch(t -> t.equals(ReferrerTags.fallback(reported.targetDigest()))));
    }

    /**
     * Two conversions of the same image from two repositories, each with its own SBOM, into one target at once: both
     * re-attach to the same converted digest, and both SBOMs must end up in its fallback index. Many rounds, each
     * into a fresh target repository, make the overlap real.
     */
    @Test
    void concurrentConversionsIntoOneTargetBothEndUpInTheFallbackIndex() throws Exception {
        String first = unique("carry/race-a");
        String second = unique("carry/race-b");
        Digest sbomA = signedImageWithSbom("fixtures/hello:v2s2", first).get("sbom");
        Digest sbomB = signedImageWithSbom("fixtures/hello:v2s2", second).get("sbom");
        for (int round = 0; round < 6; round++) {
            String target = unique("carry/race-target");
            CompletableFuture<ConversionReport> a = CompletableFuture.supplyAsync(() ->
                    convert(first + ":v1", target + ":a", ConversionOptions.DEFAULT));
            CompletableFuture<ConversionReport> b = CompletableFuture.supplyAsync(() ->
                    convert(second + ":v1", target + ":b", ConversionOptions.DEFAULT));
            Digest converted = a.get().targetDigest();
            assertEquals(converted, b.get().targetDigest(), "the same image converts to the same digest");

            Set<String> sources = new HashSet<>();
            for (Referrer referrer : new ReferrerDiscovery().discover(store(target), converted)) {
                sources.add(referrer.descriptor().annotations().get(RecastAnnotations.REFERRER_SOURCE));
            }
            assertTrue(sources.containsAll(Set.of(sbomA.toString(), sbomB.toString())), "round " + round + ": " + sources);
        }
    }
}
