package dev.recast.webhook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.service.TargetTemplate;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static dev.recast.webhook.WebhookSamples.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each provider's parser on its sample payload, on non-push events and on malformed bodies. */
class WebhookParsingTest {
    private static final String DIGEST = "sha256:8f5ad3b5e2d94b4f0a9b7f4d0a3f5f0b9e3a4c1d2e6f7a8b9c0d1e2f3a4b5c6d";

    private static PushEvent only(List<PushEvent> events) {
        assertEquals(1, events.size(), events.toString());
        return events.getFirst();
    }

    @Test
    void distributionKeepsManifestPushesAndDropsBlobPushes() {
        PushEvent event = only(new DistributionParser().parse(sample("distribution-push.json")));
        assertEquals("127.0.0.1:5330", event.registry());
        assertEquals("team/app", event.repository());
        assertEquals("1.4.2", event.tag());
        assertEquals("sha256:b039227e30ab044348bb059224a0887f1c7f1565877daf81d5627163495d146a", event.digest().toString());
        ObjectNode pull = sample("distribution-push.json");
        pull.withArray("events").forEach(e -> ((ObjectNode) e).put("action", "pull"));
        assertEquals(List.of(), new DistributionParser().parse(pull));
        assertThrows(RecastException.class, () -> new DistributionParser().parse(WebhookSamples.JSON.createObjectNode()));
    }

    @Test
    void harborDefaultAndCloudEvents() {
        for (String file : List.of("harbor-push.json", "harbor-cloudevents-push.json")) {
            PushEvent event = only(new HarborParser().parse(sample(file)));
            assertEquals("harbor.example.internal", event.registry());
            assertEquals("team/app", event.repository());
            assertEquals("1.4.2", event.tag());
            assertEquals(DIGEST, event.digest().toString());
            assertEquals("ci-bot", event.actor());
        }
        ObjectNode scan = sample("harbor-push.json").put("type", "SCANNING_COMPLETED");
        assertEquals(List.of(), new HarborParser().parse(scan));
    }

    @Test
    void dockerHubHasNoDigest() {
        PushEvent event = only(new DockerHubParser().parse(sample("dockerhub-push.json")));
        assertEquals("registry-1.docker.io", event.registry());
        assertEquals("exampleteam/app", event.repository());
        assertEquals("1.4.2", event.tag());
        assertNull(event.digest());
    }

    @Test
    void ecrDerivesTheHostFromAccountAndRegion() {
        PushEvent event = only(new EcrParser().parse(sample("ecr-eventbridge-push.json")));
        assertEquals("123456789012.dkr.ecr.eu-west-1.amazonaws.com", event.registry());
        assertEquals("team/app", event.repository());
        assertEquals(DIGEST, event.digest().toString());
        ObjectNode delete = sample("ecr-eventbridge-push.json");
        ((ObjectNode) delete.get("detail")).put("action-type", "DELETE");
        assertEquals(List.of(), new EcrParser().parse(delete));
        ObjectNode hostile = sample("ecr-eventbridge-push.json").put("region", "x/../169.254.169.254#");
        assertThrows(RecastException.class, () -> new EcrParser().parse(hostile));
    }

    @Test
    void quayGivesOneEventPerUpdatedTag() {
        List<PushEvent> events = new QuayParser().parse(sample("quay-push.json"));
        assertEquals(List.of("1.4.2", "latest"), events.stream().map(PushEvent::tag).toList());
        assertEquals("quay.example.internal", events.getFirst().registry());
    }

    @Test
    void githubContainerPackagesOnly() {
        PushEvent event = only(new GithubParser().parse(sample("github-package-published.json")));
        assertEquals("ghcr.io", event.registry());
        assertEquals("example-org/app", event.repository());
        assertEquals("1.4.2", event.tag());
        assertEquals(DIGEST, event.digest().toString());
        ObjectNode npm = sample("github-package-published.json");
        ((ObjectNode) npm.get("package")).put("package_type", "npm");
        assertEquals(List.of(), new GithubParser().parse(npm));
        assertEquals(List.of(), new GithubParser().parse(WebhookSamples.JSON.createObjectNode().put("zen", "ping")));
    }

    @Test
    void acrArtifactoryAndGar() {
        PushEvent acr = only(new AcrParser().parse(sample("acr-push.json")));
        assertEquals("example.azurecr.io", acr.registry());
        assertEquals(List.of(), new AcrParser().parse(sample("acr-push.json").put("action", "delete")));

        PushEvent jfrog = only(new ArtifactoryParser(false).parse(sample("artifactory-pushed.json")));
        assertEquals("artifactory.example.internal", jfrog.registry());
        assertEquals("team/app", jfrog.repository());
        assertEquals(DIGEST, jfrog.digest().toString());
        assertEquals("docker-local/team/app", only(new ArtifactoryParser(true).parse(sample("artifactory-pushed.json"))).repository());

        PushEvent gar = only(new GarParser().parse(sample("gar-pubsub-push.json")));
        assertEquals("europe-west1-docker.pkg.dev", gar.registry());
        assertEquals("example-project/team/app", gar.repository());
        assertEquals("1.4.2", gar.tag());
        assertEquals(DIGEST, gar.digest().toString());
        ObjectNode deleted = sample("gar-pubsub-push.json");
        ((ObjectNode) deleted.get("message")).put("data", Base64.getEncoder().encodeToString(
                "{\"action\":\"DELETE\",\"tag\":\"europe-west1-docker.pkg.dev/p/r/i:1\"}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of(), new GarParser().parse(deleted));
        ((ObjectNode) deleted.get("message")).put("data", "!!not base64!!");
        assertEquals(ErrorKind.BAD_REQUEST, assertThrows(RecastException.class, () -> new GarParser().parse(deleted)).kind());
    }

    @Test
    void signaturesAreCheckedInConstantTimeOverTheRawBody() {
        byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        String hmac = WebhookVerifier.hmac("s3cret", body);
        Map<String, String> github = Map.of("X-Hub-Signature-256", "sha256=" + hmac);
        assertTrue(WebhookVerifier.verify(Provider.GITHUB, "s3cret", body, github::get, null));
        assertFalse(WebhookVerifier.verify(Provider.GITHUB, "s3cret", "{\"a\":2}".getBytes(StandardCharsets.UTF_8), github::get, null));
        assertFalse(WebhookVerifier.verify(Provider.GITHUB, "other", body, github::get, null));
        assertTrue(WebhookVerifier.verify(Provider.ARTIFACTORY, "s3cret", body, Map.of("X-JFrog-Event-Auth", hmac)::get, null));
        assertTrue(WebhookVerifier.verify(Provider.ARTIFACTORY, "s3cret", body, Map.of("X-JFrog-Event-Auth", "s3cret")::get, null));
        assertTrue(WebhookVerifier.verify(Provider.HARBOR, "s3cret", body, Map.of("Authorization", "s3cret")::get, null));
        assertTrue(WebhookVerifier.verify(Provider.DISTRIBUTION, "s3cret", body, Map.of("Authorization", "Bearer s3cret")::get, null));
        assertFalse(WebhookVerifier.verify(Provider.DISTRIBUTION, "s3cret", body, Map.<String, String>of()::get, null));
        assertTrue(WebhookVerifier.verify(Provider.DOCKERHUB, "s3cret", body, Map.<String, String>of()::get, "s3cret"));
        assertFalse(WebhookVerifier.verify(Provider.QUAY, "s3cret", body, Map.<String, String>of()::get, "s3cre"));
        assertFalse(WebhookVerifier.verify(Provider.QUAY, null, body, Map.<String, String>of()::get, null), "no secret, no entry");
    }

    @Test
    void rulesMatchFillAndRecogniseTheirOwnOutput() {
        WebhookRule byDefault = WebhookRule.convertingTo("{repository}:{tag}-oci");
        PushEvent push = new PushEvent("reg.example", "team/app", "1.2-arm64", null, null, null);
        WebhookRule rule = WebhookProcessor.parseRules("""
                [{"repository":"team/*","tag":"(?<version>.+)-(?<arch>amd64|arm64)",
                  "convert":{"target":"{repository}:{tag}-oci"},
                  "index":{"group":"(?<version>.+)-(?<arch>amd64|arm64)","target":"{repository}:{version}","platforms":["amd64","arm64"]}}]
                """, byDefault).getFirst();
        assertTrue(rule.matches(push));
        assertFalse(rule.matches(new PushEvent("reg.example", "team/sub/app", "1.2-arm64", null, null, null)), "* is one segment");
        assertEquals("reg.example/team/app:1.2-arm64-oci",
                TargetTemplate.parse(rule.convert().target()).fill("reg.example", rule.variables(push)).toString());
        assertEquals("1.2", rule.variables(push).get("version"));
        assertTrue(WebhookPlanner.producedBy(rule, new PushEvent("reg.example", "team/app", "1.2-arm64-oci", null, null, null)));
        assertFalse(WebhookPlanner.producedBy(rule, push));
        assertTrue(WebhookPlanner.producedBy(byDefault, new PushEvent("r", "a/b", "v1-oci", null, null, null)));
        assertThrows(RecastException.class, () -> TargetTemplate.parse("{repository}:{missing}").fill("reg.example", rule.variables(push)));
        assertThrows(RecastException.class, () -> WebhookProcessor.parseRules("[{\"repository\":\"x\"}]", byDefault));
        assertThrows(RecastException.class, () -> WebhookProcessor.parseRules("not json", byDefault));
        assertEquals("report", WebhookProcessor.parseRules("[{\"convert\":{\"target\":\"{repository}:{tag}-oci\","
                + "\"referrers\":\"report\"}}]", byDefault).getFirst().convert().referrers());
        assertThrows(RecastException.class, () -> WebhookProcessor.parseRules("[{\"convert\":{\"target\":\"x:y\","
                + "\"referrers\":\"all\"}}]", byDefault));
        assertEquals(List.of(byDefault), WebhookProcessor.parseRules(null, byDefault));
    }

    @Test
    void aRuleWritingToAnotherRegistryNamesTheRegistryItTakesPushesFrom() {
        RecastException open = assertThrows(RecastException.class, () -> WebhookProcessor.parseRules(
                "[{\"convert\":{\"target\":\"mirror.example/{repository}:{tag}\"}}]", null));
        assertTrue(open.getMessage().contains("'registry'"), open.getMessage());
        assertThrows(RecastException.class, () -> WebhookProcessor.parseRules(
                "[{\"registry\":\"*.example\",\"convert\":{\"target\":\"mirror.example/{repository}:{tag}\"}}]", null));
        assertEquals(1, WebhookProcessor.parseRules(
                "[{\"registry\":\"reg.example\",\"convert\":{\"target\":\"mirror.example/{repository}:{tag}\"}}]", null).size());
        assertEquals(1, WebhookProcessor.parseRules("[{\"convert\":{\"target\":\"{registry}/{repository}:{tag}-oci\"}}]", null).size(),
                "the pushed registry itself needs no such rule");
    }

    @Test
    void targetHostsComeFromTheTemplateNeverFromAPushedValue() {
        Map<String, String> legit = Map.of("registry", "reg.example:5000", "repository", "team/app", "tag", "v1");
        assertEquals("reg.example:5000/team/app:v1-oci",
                TargetTemplate.parse("{repository}:{tag}-oci").fill("reg.example:5000", legit).toString());
        assertEquals("reg.example:5000/team/app:v1",
                TargetTemplate.parse("{registry}/{repository}:{tag}").fill("reg.example:5000", legit).toString());
        assertEquals("mirror.example/copies/team/app:v1",
                TargetTemplate.parse("mirror.example/copies/{repository}:{tag}").fill("reg.example:5000", legit).toString());
        assertEquals("registry-1.docker.io/mirror/team/app:v1",
                TargetTemplate.parse("docker.io/mirror/{repository}:{tag}").fill("reg.example:5000", legit).toString());
        assertEquals("reg.example:5000/team/app:latest",
                TargetTemplate.parse("{repository}").fill("reg.example:5000", legit).toString());

        // filled after parsing, "{repository}:{tag}-oci" with these would have named the host 127.0.0.1 or evil.example
        for (String hostile : List.of("127.0.0.1/x", "127.0.0.1:5001/x", "localhost/x", "evil.example/x", "[::1]/x",
                "team/../x", "..", "team/x:y")) {
            Map<String, String> vars = Map.of("repository", hostile, "tag", "v1");
            RecastException refused = assertThrows(RecastException.class,
                    () -> TargetTemplate.parse("{repository}:{tag}-oci").fill("reg.example:5000", vars), hostile);
            assertEquals(ErrorKind.BAD_REQUEST, refused.kind());
            assertTrue(refused.getMessage().contains(hostile), refused.getMessage());
        }
        Map<String, String> named = Map.of("org", "evil.example", "tag", "v1");
        assertThrows(RecastException.class, () -> TargetTemplate.parse("{org}/x:{tag}").fill("reg.example:5000", named));
        Map<String, String> port = Map.of("repository", "127.0.0.1:5001/x", "tag", "v1");
        assertThrows(RecastException.class,
                () -> TargetTemplate.parse("mirror.example/{repository}:{tag}").fill("reg.example:5000", port));
        assertThrows(RecastException.class, () -> TargetTemplate.parse("{repository}@sha256:{tag}"));
        assertThrows(RecastException.class, () -> WebhookProcessor.parseRules(
                "[{\"convert\":{\"target\":\"{repository}@{tag}\"}}]", null), "a malformed template fails when rules are read");
    }
}
