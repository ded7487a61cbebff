package dev.recast.registry;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.convert.ConversionOptions;
import dev.recast.convert.ConversionReport;
import dev.recast.convert.ImageConverter;
import dev.recast.registry.reference.ImageReference;
import dev.recast.testing.FaultProxy.Fault;
import dev.recast.testing.FaultProxy;
import dev.recast.testing.LabRegistry;
import dev.recast.testing.LayoutImages;
import dev.recast.testing.RegistryImages;
import dev.recast.testing.LayerTar;
import dev.recast.testing.TestLayout;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A scripted run of faults, each injected by a proxy between Recast and a real registry into one conversion into a
 * fresh repository. Every conversion must either finish with a result that skopeo, zstd and a tree comparison accept,
 * or fail with the expected kind of error naming the step, with no tag written and (read from the registry's own
 * storage) no manifest stored that references a missing blob.
 */
@Tag("registry")
class FaultScriptTest {
    private static final String HELLO_LAYER = "/blobs/sha256:80279b768afc";
    private static final String HELLO_MANIFEST = "/fixtures/hello/manifests/v2s2";
    private static final String BIG_TAG = "big";

    @TempDir
    static Path layouts;

    @TempDir
    Path tmp;

    private static TestLayout bigLayout;

    /** What the source is: the seeded hello image, the seeded Docker manifest list, or a 12 MiB layer in a layout. */
    enum Source { HELLO, MULTI, BIG }

    /** One rule of the proxy's script. */
    record Injection(String method, String pathRegex, int from, int to, Fault fault) {
        static Injection once(String method, String pathRegex, Fault fault) {
            return new Injection(method, pathRegex, 1, 1, fault);
        }

        static Injection always(String method, String pathRegex, Fault fault) {
            return new Injection(method, pathRegex, 1, Integer.MAX_VALUE, fault);
        }
    }

    /** A fault, what it is injected into, and the outcome: converted (kind null) or this error naming {@code step}. */
    record Scenario(String name, Source source, List<Injection> injections, ErrorKind failure, String step) {
        static Scenario survives(String name, Source source, Injection... injections) {
            return new Scenario(name, source, List.of(injections), null, null);
        }

        static Scenario fails(String name, Source source, ErrorKind kind, String step, Injection... injections) {
            return new Scenario(name, source, List.of(injections), kind, step);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Scenario> script() {
        return Stream.of(
                Scenario.survives("manifest GET 503 twice", Source.HELLO,
                        new Injection("GET", HELLO_MANIFEST, 1, 2, new Fault.Status(503, null))),
                Scenario.survives("manifest GET 429 Retry-After 1", Source.HELLO,
                        Injection.once("GET", HELLO_MANIFEST, new Fault.Status(429, "1"))),
                Scenario.survives("manifest GET stalls past the request timeout", Source.HELLO,
                        Injection.once("GET", HELLO_MANIFEST, new Fault.Stall(4000))),
                Scenario.survives("blob HEAD 500", Source.HELLO,
                        Injection.once("HEAD", "/blobs/", new Fault.Status(500, null))),
                Scenario.survives("layer GET 502", Source.HELLO,
                        Injection.once("GET", HELLO_LAYER, new Fault.Status(502, null))),
                Scenario.survives("layer GET connection reset mid-body", Source.HELLO,
                        Injection.once("GET", HELLO_LAYER, new Fault.CutBody(1000))),
                Scenario.survives("layer GET stalls after its headers", Source.HELLO,
                        Injection.once("GET", HELLO_LAYER, new Fault.StallBody(500, 30_000))),
                Scenario.survives("upload POST 503", Source.HELLO,
                        Injection.once("POST", "/blobs/uploads/$", new Fault.Status(503, null))),
                Scenario.survives("upload POST 429", Source.HELLO,
                        Injection.once("POST", "/blobs/uploads/$", new Fault.Status(429, "0"))),
                Scenario.survives("mount POST 500", Source.HELLO,
                        Injection.once("POST", "mount=", new Fault.Status(500, null))),
                Scenario.survives("upload PUT 500", Source.HELLO,
                        Injection.once("PUT", "/blobs/uploads/", new Fault.Status(500, null))),
                Scenario.survives("upload PUT answer lost", Source.HELLO,
                        Injection.once("PUT", "/blobs/uploads/", new Fault.LoseAnswer(502))),
                Scenario.survives("chunk PATCH 503", Source.BIG,
                        Injection.once("PATCH", "/blobs/uploads/", new Fault.Status(503, null))),
                Scenario.survives("chunk PATCH connection reset mid-upload", Source.BIG,
                        new Injection("PATCH", "/blobs/uploads/", 2, 2, new Fault.CutRequest(1 << 20))),
                Scenario.survives("chunk PATCH answer lost", Source.BIG,
                        Injection.once("PATCH", "/blobs/uploads/", new Fault.LoseAnswer(502))),
                Scenario.survives("manifest PUT 500", Source.HELLO,
                        Injection.once("PUT", "/manifests/", new Fault.Status(500, null))),
                Scenario.survives("manifest PUT answer lost", Source.HELLO,
                        Injection.once("PUT", "/manifests/", new Fault.LoseAnswer(503))),
                Scenario.survives("child manifest GET by digest 503", Source.MULTI,
                        Injection.once("GET", "/manifests/sha256:", new Fault.Status(503, null))),
                Scenario.survives("child manifest PUT 502", Source.MULTI,
                        Injection.once("PUT", "/manifests/sha256:", new Fault.Status(502, null))),
                Scenario.fails("layer bytes corrupted", Source.HELLO, ErrorKind.DIGEST_MISMATCH, "sha256:80279b768afc",
                        Injection.always("GET", HELLO_LAYER, new Fault.Corrupt())),
                Scenario.fails("child manifest bytes corrupted", Source.MULTI, ErrorKind.DIGEST_MISMATCH, "GET manifest",
                        Injection.always("GET", "/manifests/sha256:", new Fault.Corrupt())),
                Scenario.fails("layer GET reset every time", Source.HELLO, ErrorKind.UPSTREAM, "GET blob sha256:80279b768afc",
                        Injection.always("GET", HELLO_LAYER, new Fault.CutBody(100))),
                Scenario.fails("layer GET stalls every time", Source.HELLO, ErrorKind.UPSTREAM, "GET blob sha256:80279b768afc",
                        Injection.always("GET", HELLO_LAYER, new Fault.StallBody(100, 30_000))),
                Scenario.fails("layer gone (404)", Source.HELLO, ErrorKind.NOT_FOUND, "sha256:80279b768afc",
                        Injection.always("GET", HELLO_LAYER, new Fault.Status(404, null))),
                Scenario.fails("manifest PUT 503 every time", Source.HELLO, ErrorKind.UPSTREAM, "PUT manifest",
                        Injection.always("PUT", "/manifests/", new Fault.Status(503, null))),
                Scenario.fails("index PUT refused", Source.MULTI, ErrorKind.UPSTREAM, "PUT manifest",
                        Injection.always("PUT", "/manifests/oci$", new Fault.Status(500, null))),
                Scenario.fails("uploads refused", Source.BIG, ErrorKind.UPSTREAM, "upload",
                        Injection.always("PATCH", "/blobs/uploads/", new Fault.Status(500, null))));
    }

    @Test
    void theScriptInjectsAtLeastTwentyFaults() {
        assertTrue(script().count() >= 20, "scenarios: " + script().count());
        assertTrue(script().filter(s -> s.failure() == null).count() >= 10, "most faults must be survived");
    }

    @BeforeAll
    static void bigLayerImage() {
        bigLayout = new TestLayout(layouts.resolve("big"));
        byte[] noise = new byte[12 << 20];
        new Random(29).nextBytes(noise);
        bigLayout.tag(BIG_TAG, bigLayout.image().layer(new LayerTar().file("noise.bin", noise, 0644).build()).write());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("script")
    void everyFaultEndsInAVerifiedResultOrACleanFailure(Scenario scenario) {
        LabRegistry lab = LabRegistry.plain();
        String repository = "faults/" + UUID.randomUUID().toString().substring(0, 8);
        try (FaultProxy proxy = new FaultProxy(lab.host());
             ImageStores stores = new ImageStores(proxy.quickSettings());
             ImageConverter converter = new ImageConverter(stores, 2, ImageConverter.Limits.DEFAULT)) {
            scenario.injections().forEach(i -> proxy.on(i.method(), i.pathRegex(), i.from(), i.to(), i.fault()));
            ImageReference source = switch (scenario.source()) {
                case HELLO -> ImageReference.parse(proxy.host() + "/fixtures/hello:v2s2");
                case MULTI -> ImageReference.parse(proxy.host() + "/fixtures/multi:latest");
                case BIG -> ImageReference.parse(bigLayout.ref(BIG_TAG));
            };
            ImageReference target = ImageReference.parse(proxy.host() + "/" + repository + ":oci");
            RecastException error = null;
            try {
                ConversionReport report = converter.convert(source, target, ConversionOptions.DEFAULT);
                assertEquals(ConversionReport.Outcome.CONVERTED, report.outcome());
            } catch (RecastException e) {
                error = e;
            }
            assertTrue(proxy.injected() >= 1, "the fault was never injected");
            if (scenario.failure() == null) {
                if (error != null) {
                    fail(scenario + ": expected to survive, failed with " + error.kind() + ": " + error.getMessage(), error);
                }
                assertVerified(scenario.source(), lab, repository);
            } else {
                assertNotNull(error, scenario + ": expected " + scenario.failure() + ", but the conversion succeeded");
                assertEquals(scenario.failure(), error.kind(), error.getMessage());
                assertTrue(error.getMessage().contains(scenario.step()), "the error names the step '" + scenario.step()
                        + "': " + error.getMessage());
                assertEquals(List.of(), lab.tags(repository), "a failed conversion writes no tag");
            }
            RegistryImages.assertNoDanglingManifests(lab, repository);
        }
    }

    private void assertVerified(Source source, LabRegistry lab, String repository) {
        switch (source) {
            case HELLO -> RegistryImages.assertFaithful(lab, "fixtures/hello:v2s2", lab, repository + ":oci", tmp);
            case MULTI -> RegistryImages.assertIndexLayersMatchDiffIds(lab, repository + ":oci", tmp.resolve("copy"));
            case BIG -> {
                Path copy = RegistryImages.skopeoCopy(lab, repository + ":oci", tmp.resolve("copy"));
                LayoutImages.assertFaithfulConversion(bigLayout.dir(), LayoutImages.taggedDigest(bigLayout.dir(), BIG_TAG),
                        copy, LayoutImages.taggedDigest(copy, "x"), RegistryImages.ZSTD);
            }
        }
    }
}
