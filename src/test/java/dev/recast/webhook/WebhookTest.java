package dev.recast.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recast.testing.ExternalTools;
import dev.recast.testing.HttpServerTest;
import dev.recast.testing.LabRegistry;
import dev.recast.testing.LayoutImages;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.recast.webhook.WebhookSamples.sample;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Webhooks end to end: each provider's payload causes a real conversion on the lab registry, or nothing. */
@QuarkusTest
@TestProfile(WebhookTest.Profile.class)
@Tag("registry")
@Tag("quarkus")
class WebhookTest extends HttpServerTest {
    static final String SECRET = "webhook-s3cret";
    static final String HELLO = "sha256:b039227e30ab044348bb059224a0887f1c7f1565877daf81d5627163495d146a";
    static final int PORT = LabRegistry.freePort();
    static final String LIVE_URL = "http://127.0.0.1:" + PORT + "/v1/webhooks/distribution";

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            String lab = LabRegistry.plain().host();
            String second = LabRegistry.second().host();
            Map<String, String> config = new java.util.HashMap<>();
            // the second registry is allowed, so that only the target planning keeps a pushed name from reaching it
            config.put("recast.registries.allowed", String.join(",", lab, second,
                    LabRegistry.notifying(LIVE_URL, "Authorization: Bearer " + SECRET).host()));
            for (Provider provider : Provider.values()) {
                config.put("recast.webhooks." + provider.pathName() + ".secret", SECRET);
            }
            config.put("quarkus.http.test-port", String.valueOf(PORT));
            config.put("recast.webhooks.registry-aliases", String.join(",", List.of("harbor.example.internal=" + lab,
                    "registry-1.docker.io=" + lab, "123456789012.dkr.ecr.eu-west-1.amazonaws.com=" + lab,
                    "quay.example.internal=" + lab, "ghcr.io=" + lab, "example.azurecr.io=" + lab,
                    "artifactory.example.internal=" + lab, "europe-west1-docker.pkg.dev=" + lab)));
            config.put("recast.webhooks.retry-delay", "200ms");
            // on, in its default repository: Recast's own cache entries come back as notifications
            config.put("recast.cache.enabled", "true");
            config.put("recast.webhooks.rules", """
                    [{"registry":"%s","repository":"mirror/**","convert":{"target":"%s/copies/{repository}:{tag}"}},
                     {"tag":"(?<version>.+)-(?<arch>amd64|arm64)","convert":{"target":"{repository}:{tag}-oci"},
                      "index":{"group":"(?<version>.+)-(?<arch>amd64|arm64)","target":"{repository}:{version}",
                               "platforms":["amd64","arm64"],"convert":true}},
                     {"tag":".+","convert":{"target":"{repository}:{tag}-oci"}}]""".formatted(lab, second));
            return config;
        }
    }

    @Inject
    WebhookProcessor processor;

    @TempDir
    Path tmp;

    private final LabRegistry lab = LabRegistry.plain();

    /** A fresh repository holding fixtures/hello:v2s2 under tag 1.4.2 (same manifest digest). */
    private String freshRepository(String prefix) {
        String repo = "wh/" + prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        LabRegistry.copy(lab.host() + "/fixtures/hello:v2s2", lab.host() + "/" + repo + ":1.4.2");
        return repo;
    }

    private static RequestSpecification signed(Provider provider, byte[] body) {
        RequestSpecification request = given().contentType("application/json").body(body);
        return switch (provider.trust()) {
            case SHARED_TOKEN -> request.header("Authorization", "Bearer " + SECRET);
            case URL_TOKEN -> request.queryParam("token", SECRET);
            case GITHUB_HMAC -> request.header("X-Hub-Signature-256", "sha256=" + WebhookVerifier.hmac(SECRET, body));
            case ARTIFACTORY -> request.header("X-JFrog-Event-Auth", WebhookVerifier.hmac(SECRET, body));
        };
    }

    private void awaitTag(String repository, String tag) throws InterruptedException {
        lab.awaitTagIn(repository, tag);
    }

    private void awaitQuiet() throws InterruptedException {
        for (int i = 0; i < 300 && processor.busy(); i++) {
            Thread.sleep(100);
        }
    }

    /** The sample payload of a provider, rewritten to name the given repository (hosts are aliased to the lab). */
    private ObjectNode payload(Provider provider, String repo) {
        String[] parts = repo.split("/", 2);
        return switch (provider) {
            case DISTRIBUTION -> WebhookSamples.distributionPush(lab.host(), repo);
            case HARBOR -> {
                ObjectNode body = sample("harbor-push.json");
                ObjectNode data = (ObjectNode) body.get("event_data");
                ((ObjectNode) data.get("repository")).put("repo_full_name", repo);
                ((ObjectNode) data.withArray("resources").get(0)).put("digest", HELLO);
                yield body;
            }
            case DOCKERHUB -> {
                ObjectNode body = sample("dockerhub-push.json");
                ((ObjectNode) body.get("repository")).put("repo_name", repo);
                yield body;
            }
            case ECR -> {
                ObjectNode body = sample("ecr-eventbridge-push.json");
                ((ObjectNode) body.get("detail")).put("repository-name", repo).put("image-digest", HELLO);
                yield body;
            }
            case QUAY -> sample("quay-push.json").put("repository", repo).put("docker_url", "quay.example.internal/" + repo)
                    .set("updated_tags", WebhookSamples.JSON.createArrayNode().add("1.4.2"));
            case GITHUB -> {
                ObjectNode body = sample("github-package-published.json");
                ObjectNode pkg = (ObjectNode) body.get("package");
                pkg.put("namespace", parts[0]).put("name", parts[1]);
                ObjectNode version = (ObjectNode) pkg.get("package_version");
                version.put("package_url", "ghcr.io/" + repo + ":1.4.2");
                ((ObjectNode) version.get("container_metadata").get("tag")).put("digest", HELLO);
                yield body;
            }
            case ACR -> {
                ObjectNode body = sample("acr-push.json");
                ((ObjectNode) body.get("target")).put("repository", repo).put("digest", HELLO);
                yield body;
            }
            case ARTIFACTORY -> {
                ObjectNode body = sample("artifactory-pushed.json");
                ((ObjectNode) body.get("data")).put("image_name", repo).put("sha256", HELLO.substring(7));
                yield body;
            }
            case GAR -> {
                ObjectNode body = sample("gar-pubsub-push.json");
                String data = "{\"action\":\"INSERT\",\"digest\":\"europe-west1-docker.pkg.dev/" + repo + "@" + HELLO
                        + "\",\"tag\":\"europe-west1-docker.pkg.dev/" + repo + ":1.4.2\"}";
                ((ObjectNode) body.get("message")).put("data", Base64.getEncoder().encodeToString(data.getBytes(StandardCharsets.UTF_8)));
                yield body;
            }
        };
    }

    @Test
    void everyProvidersPushLeadsToARealConversion() throws Exception {
        for (Provider provider : Provider.values()) {
            String repo = freshRepository(provider.pathName());
            byte[] body = WebhookSamples.bytes(payload(provider, repo));
            signed(provider, body).post("/v1/webhooks/" + provider.pathName()).then().statusCode(202);
            awaitTag(repo, "1.4.2-oci");
            String raw = ExternalTools.check("skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + lab.host() + "/" + repo + ":1.4.2-oci");
            assertTrue(raw.contains("application/vnd.oci.image.layer.v1.tar+zstd"), provider + ": " + raw);
        }
    }

    @Test
    void badOrMissingSecretsAre401AndNothingHappens() throws Exception {
        for (Provider provider : Provider.values()) {
            String repo = freshRepository("bad-" + provider.pathName());
            byte[] body = WebhookSamples.bytes(payload(provider, repo));
            given().contentType("application/json").body(body).post("/v1/webhooks/" + provider.pathName()).then().statusCode(401);
            given().contentType("application/json").body(body).header("Authorization", "Bearer wrong")
                    .header("X-Hub-Signature-256", "sha256=" + WebhookVerifier.hmac("wrong", body))
                    .header("X-JFrog-Event-Auth", "wrong").queryParam("token", "wrong")
                    .post("/v1/webhooks/" + provider.pathName()).then().statusCode(401);
            Thread.sleep(50);
            assertEquals(List.of("1.4.2"), lab.tags(repo), provider + " converted without a valid secret");
        }
    }

    @Test
    void nonPushEventsAreAcknowledgedAndIgnored() throws Exception {
        String repo = freshRepository("nonpush");
        Map<Provider, ObjectNode> nonPush = new java.util.LinkedHashMap<>();
        ObjectNode pull = payload(Provider.DISTRIBUTION, repo);
        pull.withArray("events").forEach(e -> ((ObjectNode) e).put("action", "pull"));
        nonPush.put(Provider.DISTRIBUTION, pull);
        nonPush.put(Provider.HARBOR, payload(Provider.HARBOR, repo).put("type", "DELETE_ARTIFACT"));
        ObjectNode ecr = payload(Provider.ECR, repo);
        ((ObjectNode) ecr.get("detail")).put("action-type", "DELETE");
        nonPush.put(Provider.ECR, ecr);
        nonPush.put(Provider.GITHUB, WebhookSamples.JSON.createObjectNode().put("zen", "Keep it simple").put("hook_id", 1));
        nonPush.put(Provider.ACR, payload(Provider.ACR, repo).put("action", "ping"));
        nonPush.put(Provider.ARTIFACTORY, payload(Provider.ARTIFACTORY, repo).put("event_type", "deleted"));
        for (Map.Entry<Provider, ObjectNode> entry : nonPush.entrySet()) {
            byte[] body = WebhookSamples.bytes(entry.getValue());
            signed(entry.getKey(), body).post("/v1/webhooks/" + entry.getKey().pathName()).then().statusCode(202)
                    .body("jobs.size()", org.hamcrest.Matchers.equalTo(0));
        }
        Thread.sleep(300);
        assertEquals(List.of("1.4.2"), lab.tags(repo));
    }

    @Test
    void malformedOversizedAndDisallowedBodiesAreRefused() {
        signed(Provider.DISTRIBUTION, "{not json".getBytes()).post("/v1/webhooks/distribution").then().statusCode(400)
                .contentType("application/problem+json");
        signed(Provider.DISTRIBUTION, "{\"no\":\"events\"}".getBytes()).post("/v1/webhooks/distribution").then().statusCode(400);
        byte[] huge = ("{\"events\":[],\"pad\":\"" + "x".repeat(300_000) + "\"}").getBytes();
        signed(Provider.DISTRIBUTION, huge).post("/v1/webhooks/distribution").then().statusCode(413);
        ObjectNode metadata = payload(Provider.DISTRIBUTION, "x/y");
        metadata.withArray("events").forEach(e -> ((ObjectNode) e.get("request")).put("host", "169.254.169.254"));
        signed(Provider.DISTRIBUTION, WebhookSamples.bytes(metadata)).post("/v1/webhooks/distribution").then().statusCode(403)
                .contentType("application/problem+json");
        given().contentType("application/json").body("{}").post("/v1/webhooks/nosuch").then().statusCode(404);
        ObjectNode many = payload(Provider.DISTRIBUTION, "x/y");
        JsonNode one = many.withArray("events").get(0);
        for (int i = 0; i < 100; i++) {
            many.withArray("events").add(one.deepCopy());
        }
        signed(Provider.DISTRIBUTION, WebhookSamples.bytes(many)).post("/v1/webhooks/distribution").then().statusCode(413)
                .contentType("application/problem+json").body("detail", org.hamcrest.Matchers.containsString("recast.webhooks.max-events"));
    }

    @Test
    void fiftyConcurrentDeliveriesOfOneEventMakeOneConversion() throws Exception {
        String repo = freshRepository("burst");
        byte[] body = WebhookSamples.bytes(payload(Provider.DISTRIBUTION, repo));
        double before = processor.jobs(WebhookJob.Kind.CONVERT, "converted");
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Callable<Integer>> deliveries = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            deliveries.add(() -> signed(Provider.DISTRIBUTION, body).post("/v1/webhooks/distribution").statusCode());
        }
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> status : pool.invokeAll(deliveries)) {
            statuses.add(status.get());
        }
        pool.shutdown();
        awaitTag(repo, "1.4.2-oci");
        awaitQuiet();
        assertTrue(statuses.stream().allMatch(s -> s == 202), statuses.toString());
        assertEquals(1.0, processor.jobs(WebhookJob.Kind.CONVERT, "converted") - before, "exactly one conversion");
    }

    @Test
    void liveRegistryNotificationsConvertAndIndexWithoutLoops() throws Exception {
        LabRegistry live = LabRegistry.notifying(LIVE_URL, "Authorization: Bearer " + SECRET);
        Path fixtures = Path.of(System.getProperty("java.io.tmpdir"), "recast-lab", "fixtures");
        ExternalTools.check("skopeo", "copy", "-q", "--format", "v2s2", "--dest-tls-verify=false",
                "oci:" + fixtures.resolve("hello") + ":v2s2", "docker://" + live.host() + "/team/hello:v1");
        live.awaitTagIn("team/hello", "v1-oci");

        Path source = tmp.resolve("src");
        Path converted = tmp.resolve("dst");
        ExternalTools.check("skopeo", "copy", "-q", "--src-tls-verify=false", "docker://" + live.host() + "/team/hello:v1", "dir:" + source);
        ExternalTools.check("skopeo", "copy", "-q", "--src-tls-verify=false", "docker://" + live.host() + "/team/hello:v1-oci",
                "oci:" + converted + ":x");
        LayoutImages.assertFaithfulConversion(LayoutImages.readJson(source.resolve("manifest.json")),
                d -> source.resolve(d.substring(7)), LayoutImages.manifest(converted, LayoutImages.taggedDigest(converted, "x")),
                d -> LayoutImages.blob(converted, d), "application/vnd.oci.image.layer.v1.tar+zstd");

        ExternalTools.check("skopeo", "copy", "-q", "--format", "v2s2", "--dest-tls-verify=false",
                "oci:" + fixtures.resolve("app") + ":amd64", "docker://" + live.host() + "/team/app:2.0-amd64");
        ExternalTools.check("skopeo", "copy", "-q", "--format", "v2s2", "--dest-tls-verify=false",
                "oci:" + fixtures.resolve("app") + ":arm64", "docker://" + live.host() + "/team/app:2.0-arm64");
        live.awaitTagIn("team/app", "2.0");
        String index = ExternalTools.check("skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + live.host() + "/team/app:2.0");
        assertTrue(index.contains("application/vnd.oci.image.index.v1+json") && index.contains("\"variant\":\"v8\""), index);

        // let Recast's own pushes come back as notifications and be ignored
        for (int round = 0; round < 3; round++) {
            Thread.sleep(1500);
            awaitQuiet();
        }
        // besides the images, only the fallback tags of the converted images' provenance (never converted themselves)
        assertEquals(List.of("v1", "v1-oci", fallbackTag(live, "team/hello:v1-oci")).stream().sorted().toList(),
                live.tags("team/hello"));
        assertEquals(List.of("2.0", "2.0-amd64", "2.0-amd64-oci", "2.0-arm64", "2.0-arm64-oci",
                fallbackTag(live, "team/app:2.0-amd64-oci"), fallbackTag(live, "team/app:2.0-arm64-oci")).stream()
                .sorted().toList(), live.tags("team/app"));
        List<String> entries = live.tags("recast-cache");
        // hello's 3 layers for sure (the app's 2 too, unless two jobs raced to write one of them: that entry is lost)
        assertTrue(entries.size() >= 3, "hello's layers remembered: " + entries);
        assertTrue(entries.stream().noneMatch(t -> t.endsWith("-oci")), "no entry was taken for an image: " + entries);
    }

    /**
     * A pushed image with an SBOM (fallback tag index), a cosign attestation and signature: the conversion carries the
     * SBOM and attestation, and none of the referrer pushes (the source's, nor Recast's own) starts a conversion.
     */
    @Test
    void referrersAreCarriedAndTheirPushesNeverTriggerConversions() throws Exception {
        LabRegistry live = LabRegistry.notifying(LIVE_URL, "Authorization: Bearer " + SECRET);
        String repo = "team/signed-" + UUID.randomUUID().toString().substring(0, 8);
        Path fixtures = Path.of(System.getProperty("java.io.tmpdir"), "recast-lab", "fixtures");
        // a tag of the shape Recast's rules produce is ignored: the image is there before anything is attached to it
        ExternalTools.check("skopeo", "copy", "-q", "--format", "v2s2", "--dest-tls-verify=false",
                "oci:" + fixtures.resolve("hello") + ":v2s2", "docker://" + live.host() + "/" + repo + ":seed-oci");
        try (var stores = new dev.recast.registry.ImageStores(dev.recast.registry.http.RegistrySettings.defaults())) {
            var store = stores.open(dev.recast.registry.reference.RegistryReference.parse(live.host() + "/" + repo + ":x"));
            var image = store.requireManifest("seed-oci");
            new dev.recast.registry.referrers.ReferrerAttacher().attach(store,
                    dev.recast.testing.ReferrerFixtures.sbom(image.descriptor(), repo));
            dev.recast.testing.ReferrerFixtures.cosignAttestation(store, image.descriptor());
            dev.recast.testing.ReferrerFixtures.cosignSignature(store, image.descriptor());
            Thread.sleep(1500);
            awaitQuiet();
            store.tag("v1", image);
            live.awaitTagIn(repo, "v1-oci");
            for (int round = 0; round < 3; round++) {
                Thread.sleep(1500);
                awaitQuiet();
            }
            var converted = store.requireManifest("v1-oci").digest();
            var kinds = new dev.recast.registry.referrers.ReferrerDiscovery().discover(store, converted).stream()
                    .map(r -> r.kind().name()).sorted().toList();
            // the carried attestation, and the provenance of the webhook's conversion
            assertEquals(List.of("ATTESTATION", "ATTESTATION", "SBOM"), kinds);
            assertEquals(converted, new dev.recast.provenance.ProvenanceFinder(
                    new dev.recast.registry.referrers.ReferrerDiscovery()).find(store, converted).getFirst()
                    .provenance().subject());
            String source = "sha256-" + image.digest().hex();
            assertEquals(List.of("seed-oci", source, source + ".att", source + ".sig", "sha256-" + converted.hex(), "v1",
                    "v1-oci").stream().sorted().toList(), live.tags(repo), "no referrer tag was converted");
        }
    }

    /** The fallback tag ({@code sha256-<hex>}) of the manifest {@code repositoryAndTag} names. */
    private static String fallbackTag(LabRegistry registry, String repositoryAndTag) {
        return dev.recast.testing.RegistryImages.rawDigest(registry, repositoryAndTag).replace(':', '-');
    }

    @Test
    void pushesToTheLayerCacheAreIgnored() {
        byte[] body = WebhookSamples.bytes(WebhookSamples.distributionPush(lab.host(), "recast-cache"));
        signed(Provider.DISTRIBUTION, body).post("/v1/webhooks/distribution").then().statusCode(202)
                .body("jobs.size()", org.hamcrest.Matchers.equalTo(0))
                .body("ignored[0]", org.hamcrest.Matchers.containsString("layer cache entry"));
    }

    @Test
    void aPushedRepositoryNeverChoosesTheHostRecastWritesTo() throws Exception {
        LabRegistry second = LabRegistry.second();
        List<String> catalogBefore = catalog(second);
        double refusedBefore = processor.events(Provider.DISTRIBUTION, "refused");
        // valid in a payload; filled into "{repository}:{tag}-oci" and parsed afterwards, it named the second registry
        for (String hostile : List.of(second.host() + "/x", "127.0.0.1/x")) {
            byte[] body = WebhookSamples.bytes(WebhookSamples.distributionPush(lab.host(), hostile));
            signed(Provider.DISTRIBUTION, body).post("/v1/webhooks/distribution").then().statusCode(202)
                    .body("jobs.size()", org.hamcrest.Matchers.equalTo(0))
                    .body("ignored[0]", org.hamcrest.Matchers.containsString("refused"));
        }
        awaitQuiet();
        Thread.sleep(300);
        assertEquals(2.0, processor.events(Provider.DISTRIBUTION, "refused") - refusedBefore, "each refusal is counted");
        assertEquals(catalogBefore, catalog(second), "nothing was written to the second registry");
        assertEquals(List.of(), second.tags("x"));
        assertTrue(catalog(lab).stream().noneMatch(r -> r.startsWith("127.0.0.1")), catalog(lab).toString());

        // a rule whose template names the host still writes there
        String repo = "mirror/wh-" + UUID.randomUUID().toString().substring(0, 8);
        LabRegistry.copy(lab.host() + "/fixtures/hello:v2s2", lab.host() + "/" + repo + ":1.4.2");
        byte[] body = WebhookSamples.bytes(WebhookSamples.distributionPush(lab.host(), repo));
        signed(Provider.DISTRIBUTION, body).post("/v1/webhooks/distribution").then().statusCode(202);
        second.awaitTagIn("copies/" + repo, "1.4.2");
        assertEquals(HELLO, ConvertedTags.sourceDigest(second, "copies/" + repo, "1.4.2"));
    }

    @Test
    void aDockerHubRepushOfTheSameTagIsConvertedAndARedeliveryIsNot() throws Exception {
        String repo = freshRepository("hub-repush");
        LabRegistry.copy(lab.host() + "/fixtures/hello:v2s2", lab.host() + "/" + repo + ":v2");
        ObjectNode payload = payload(Provider.DOCKERHUB, repo);
        ((ObjectNode) payload.get("push_data")).put("tag", "v2");
        byte[] body = WebhookSamples.bytes(payload);
        signed(Provider.DOCKERHUB, body).post("/v1/webhooks/dockerhub").then().statusCode(202);
        ConvertedTags.awaitSource(lab, repo, "v2-oci", HELLO);
        awaitQuiet();

        // the same tag, new content, the same payload (it carries no digest) well within the dedupe window
        LabRegistry.copy(lab.host() + "/fixtures/app:amd64", lab.host() + "/" + repo + ":v2");
        String repushed = ConvertedTags.digest(lab, repo, "v2");
        signed(Provider.DOCKERHUB, body).post("/v1/webhooks/dockerhub").then().statusCode(202)
                .body("jobs[0]", org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("done already")));
        ConvertedTags.awaitSource(lab, repo, "v2-oci", repushed);
        awaitQuiet();

        double converted = processor.jobs(WebhookJob.Kind.CONVERT, "converted");
        signed(Provider.DOCKERHUB, body).post("/v1/webhooks/dockerhub").then().statusCode(202)
                .body("jobs[0]", org.hamcrest.Matchers.containsString("done already"));
        awaitQuiet();
        assertEquals(converted, processor.jobs(WebhookJob.Kind.CONVERT, "converted"), "a redelivery is no new work");
        assertEquals(repushed, ConvertedTags.sourceDigest(lab, repo, "v2-oci"));

        // rolled back to the first image, still within the window: converted again, not taken for its old delivery
        LabRegistry.copy(lab.host() + "/fixtures/hello:v2s2", lab.host() + "/" + repo + ":v2");
        signed(Provider.DOCKERHUB, body).post("/v1/webhooks/dockerhub").then().statusCode(202)
                .body("jobs[0]", org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("done already")));
        ConvertedTags.awaitSource(lab, repo, "v2-oci", HELLO);
    }

    /** A registry's repositories, from its catalog API. */
    private static List<String> catalog(LabRegistry registry) throws Exception {
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://" + registry.host() + "/v2/_catalog?n=1000")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        List<String> repositories = new ArrayList<>();
        WebhookSamples.JSON.readTree(response.body()).path("repositories").forEach(r -> repositories.add(r.asText()));
        return repositories;
    }
}
