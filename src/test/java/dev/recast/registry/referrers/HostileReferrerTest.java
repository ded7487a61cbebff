package dev.recast.registry.referrers;

import dev.recast.convert.ConversionOptions;
import dev.recast.convert.ConversionReport;
import dev.recast.convert.ImageConverter;
import dev.recast.convert.RecastAnnotations;
import dev.recast.convert.ReferrerReport;
import dev.recast.convert.ReferrerReport.Action;
import dev.recast.model.Content;
import dev.recast.model.Descriptor;
import dev.recast.model.Digest;
import dev.recast.model.Index;
import dev.recast.model.Manifest;
import dev.recast.model.MediaType;
import dev.recast.registry.ImageStores;
import dev.recast.registry.http.RegistrySettings;
import dev.recast.registry.reference.ImageReference;
import dev.recast.registry.reference.RegistryReference;
import dev.recast.registry.store.ImageStore;
import dev.recast.testing.ExternalTools;
import dev.recast.testing.LabRegistry;
import dev.recast.testing.ReferrerFixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whoever can push one tag to the source repository writes its fallback index {@code sha256-<digest>}: what it lists
 * is checked against the listed manifests themselves, too-large "SBOMs" are not copied, and nothing there fails the
 * conversion. On a real distribution 2.8 registry.
 */
@Tag("registry")
class HostileReferrerTest {
    private final LabRegistry lab = LabRegistry.plain();
    private final ImageStores stores = new ImageStores(RegistrySettings.defaults());
    private final ImageConverter converter = new ImageConverter(stores, 3, ImageConverter.Limits.DEFAULT);

    @AfterEach
    void close() {
        converter.close();
        stores.close();
    }

    private ImageStore store(String repository) {
        return stores.open(RegistryReference.parse(lab.host() + "/" + repository + ":x"));
    }

    private ConversionReport convert(String repository, ConversionOptions options) {
        return converter.convert(ImageReference.parse(lab.ref(repository + ":v1")),
                ImageReference.parse(lab.ref(repository + ":v1-oci")), options);
    }

    /** A fresh repository holding the hello fixture as {@code v1}; its descriptor. */
    private Descriptor source(String repository) {
        ExternalTools.check("skopeo", "copy", "-q", "--src-tls-verify=false", "--dest-tls-verify=false",
                lab.ref("fixtures/hello:v2s2"), lab.ref(repository + ":v1"));
        return store(repository).requireManifest("v1").descriptor();
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** An artifact manifest with {@code layers}, naming {@code subject} (or nothing), stored by digest. */
    private static Content artifact(ImageStore store, Descriptor subject, String artifactType, List<Descriptor> layers) {
        store.putIfAbsent(Content.OCI_EMPTY);
        Content manifest = Manifest.create(MediaType.OCI_MANIFEST, artifactType,
                Content.OCI_EMPTY.descriptor(), layers, subject, null).content();
        store.putManifest(manifest);
        return manifest;
    }

    private static Descriptor document(ImageStore store, String text) {
        return document(store, text, ReferrerFixtures.SPDX);
    }

    private static Descriptor document(ImageStore store, String text, String type) {
        Content blob = Content.of(MediaType.of(type), text.getBytes(StandardCharsets.UTF_8));
        store.putIfAbsent(blob);
        return blob.descriptor();
    }

    /** The fallback index of {@code subject}, listing each descriptor as an SPDX SBOM whatever it is. */
    private static void listAsSboms(ImageStore store, Digest subject, List<Descriptor> listed) {
        List<Descriptor> entries = listed.stream().map(d -> new Descriptor(MediaType.OCI_MANIFEST, d.digest(), d.size(),
                List.of(), d.annotations(), null, ReferrerFixtures.SPDX)).toList();
        store.tag(ReferrerTags.fallback(subject), Index.create(MediaType.OCI_INDEX, null, entries, null, null).content());
    }

    /** Deletes a manifest from the lab registry (delete is enabled there), leaving what lists it dangling. */
    private void delete(String repository, Digest manifest) {
        try {
            HttpResponse<Void> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://"
                    + lab.host() + "/v2/" + repository + "/manifests/" + manifest)).DELETE().build(),
                    HttpResponse.BodyHandlers.discarding());
            assertEquals(202, response.statusCode());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static ReferrerReport reportOf(ConversionReport report, Digest referrer) {
        return report.referrers().stream().filter(r -> r.digest().equals(referrer)).findFirst().orElseThrow(
                () -> new AssertionError(referrer + " not reported: " + report.referrers()));
    }

    @Test
    void aListedManifestThatNamesAnotherSubjectOrNoneIsSkippedNotCopied() {
        String repository = unique("hostile/subject");
        Descriptor subject = source(repository);
        ImageStore store = store(repository);
        Content unrelated = artifact(store, null, null, List.of(document(store, "any image")));
        Content elsewhere = artifact(store, new Descriptor(MediaType.OCI_MANIFEST,
                Digest.sha256("another image".getBytes(StandardCharsets.UTF_8)), 13), ReferrerFixtures.SPDX,
                List.of(document(store, "another image's sbom")));
        ReferrerArtifact honestSbom = ReferrerFixtures.sbom(subject, "honest");
        new ReferrerAttacher().attach(store, honestSbom);
        Content honest = honestSbom.manifest().content();
        listAsSboms(store, subject.digest(), List.of(unrelated.descriptor(), elsewhere.descriptor(), honest.descriptor()));

        ConversionReport report = convert(repository, ConversionOptions.DEFAULT);

        assertEquals(Action.SKIPPED, reportOf(report, unrelated.digest()).action());
        assertTrue(reportOf(report, unrelated.digest()).note().contains("names no subject"));
        assertEquals(Action.SKIPPED, reportOf(report, elsewhere.digest()).action());
        assertEquals(Action.COPIED, reportOf(report, honest.digest()).action());
        List<Referrer> attached = new ReferrerDiscovery().discover(store, report.targetDigest());
        assertEquals(List.of(honest.digest().toString()), attached.stream()
                .map(r -> r.descriptor().annotations().get(RecastAnnotations.REFERRER_SOURCE)).toList());
    }

    @Test
    void whatAReferrerIsComesFromItsManifestNotFromTheIndexClaim() {
        String repository = unique("hostile/kind");
        Descriptor subject = source(repository);
        ImageStore store = store(repository);
        Content other = artifact(store, subject, "application/vnd.example.not-an-sbom",
                List.of(document(store, "not an sbom", "application/octet-stream")));
        listAsSboms(store, subject.digest(), List.of(other.descriptor()));

        List<Referrer> found = new ReferrerDiscovery().discover(store, subject.digest());

        assertEquals(List.of(ReferrerKind.OTHER), found.stream().map(Referrer::kind).toList());
        assertEquals("application/vnd.example.not-an-sbom", found.getFirst().artifactType());
        assertEquals(Action.SKIPPED, reportOf(convert(repository, ConversionOptions.DEFAULT), other.digest()).action());
    }

    @Test
    void anSbomWithTooManyOrTooLargeBlobsIsNotCopied() {
        String repository = unique("hostile/size");
        Descriptor subject = source(repository);
        ImageStore store = store(repository);
        Descriptor small = document(store, "small");
        Content many = artifact(store, subject, ReferrerFixtures.SPDX,
                Collections.nCopies(ImageConverter.Limits.DEFAULT.imageLayers() + 1, small));
        // layers claiming 65 MiB, and 5 x 60 MiB (the registry does not check sizes): refused from their descriptors
        Content large = artifact(store, subject, ReferrerFixtures.SPDX, List.of(new Descriptor(small.mediaType(),
                small.digest(), 65L << 20)));
        List<Descriptor> parts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            parts.add(new Descriptor(small.mediaType(), small.digest(), 60L << 20));
        }
        Content total = artifact(store, subject, ReferrerFixtures.SPDX, parts);
        listAsSboms(store, subject.digest(), List.of(many.descriptor(), large.descriptor(), total.descriptor()));

        ConversionReport report = convert(repository, ConversionOptions.DEFAULT);

        assertTrue(reportOf(report, many.digest()).note().contains("recast.limits.image-layers"),
                reportOf(report, many.digest()).note());
        assertTrue(reportOf(report, large.digest()).note().contains("for a referrer's blob"),
                reportOf(report, large.digest()).note());
        assertTrue(reportOf(report, total.digest()).note().contains("for one referrer"),
                reportOf(report, total.digest()).note());
        assertTrue(report.referrers().stream().allMatch(r -> r.action() == Action.SKIPPED), report.referrers().toString());
        assertEquals(List.of(), new ReferrerDiscovery().discover(store, report.targetDigest()));
    }

    @Test
    void aFallbackTagThatIsNoIndexOrListsAMissingManifestDoesNotFailTheConversion() {
        String notIndex = unique("hostile/tag");
        Descriptor subject = source(notIndex);
        ImageStore store = store(notIndex);
        Content image = artifact(store, null, null, List.of(document(store, "pushed over the fallback tag")));
        store.tag(ReferrerTags.fallback(subject.digest()), image);

        ConversionReport report = convert(notIndex, ConversionOptions.DEFAULT);

        assertEquals(ConversionReport.Outcome.CONVERTED, report.outcome());
        assertEquals(Action.SKIPPED, reportOf(report, image.digest()).action());
        assertTrue(reportOf(report, image.digest()).note().contains("is not a referrers index"));

        String missing = unique("hostile/missing");
        Descriptor other = source(missing);
        Descriptor absent = artifact(store(missing), other, ReferrerFixtures.SPDX,
                List.of(document(store(missing), "deleted"))).descriptor();
        listAsSboms(store(missing), other.digest(), List.of(absent));
        delete(missing, absent.digest());

        ConversionReport second = convert(missing, ConversionOptions.DEFAULT);

        assertEquals(Action.SKIPPED, reportOf(second, absent.digest()).action());
        assertTrue(reportOf(second, absent.digest()).note().contains("has no manifest"));
    }

    @Test
    void aClaimedEarlierCopyThatIsNotThereDoesNotStopTheCopy() {
        String repository = unique("hostile/earlier");
        Descriptor subject = source(repository);
        ImageStore store = store(repository);
        ReferrerArtifact artifact = ReferrerFixtures.sbom(subject, "real");
        new ReferrerAttacher().attach(store, artifact);
        Content sbom = artifact.manifest().content();
        Content unrelated = artifact(store, null, null, List.of(document(store, "not a copy")));
        Digest result = convert(repository, ConversionOptions.DEFAULT.withReferrers(
                dev.recast.convert.ReferrersMode.SKIP)).targetDigest();
        // the target's fallback index claims that a manifest of no subject is the copy of the SBOM
        Descriptor claimed = new Descriptor(MediaType.OCI_MANIFEST, unrelated.digest(), unrelated.size(), List.of(), Map.of(RecastAnnotations.REFERRER_SOURCE, sbom.digest().toString()), null, ReferrerFixtures.SPDX);
        store.tag(ReferrerTags.fallback(result), Index.create(MediaType.OCI_INDEX, null, List.of(claimed), null, null)
                .content());

        ConversionReport report = convert(repository, ConversionOptions.DEFAULT);

        ReferrerReport carried = reportOf(report, sbom.digest());
        assertEquals(Action.COPIED, carried.action());
        assertEquals("attached to " + result, carried.note());
        assertTrue(new ReferrerDiscovery().discover(store, result).stream().anyMatch(r -> r.digest().equals(carried.copy())));
    }
}
