package dev.recast.registry.http;

import dev.recast.registry.reference.RegistryReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuthPiecesTest {

    @Test
    void bearerChallengeWithCommasInsideQuotes() {
        List<Challenge> challenges = Challenge.parse(
                "Bearer realm=\"https://auth.example.io/token\",service=\"registry.example.io\",scope=\"repository:team/app:pull,push\"");
        assertEquals(1, challenges.size());
        Challenge bearer = challenges.getFirst();
        assertTrue(bearer.isBearer());
        assertEquals("https://auth.example.io/token", bearer.parameter("realm"));
        assertEquals("registry.example.io", bearer.parameter("service"));
        assertEquals("repository:team/app:pull,push", bearer.parameter("scope"));
    }

    @Test
    void severalChallengesAndUnquotedValues() {
        List<Challenge> challenges = Challenge.parse("Basic realm=recast-lab, Bearer realm=\"https://a/t\", error=\"insufficient_scope\"");
        assertEquals(2, challenges.size());
        assertTrue(challenges.get(0).isBasic());
        assertEquals("recast-lab", challenges.get(0).parameter("realm"));
        assertEquals("insufficient_scope", challenges.get(1).parameter("error"));
        assertEquals(List.of(), Challenge.parse(null));
        assertEquals(List.of(), Challenge.parse(""));
    }

    @Test
    void retryAfterInSecondsOrAsADate() {
        assertEquals(Optional.of(3000L), RetryRule.retryAfterMillis("3"));
        assertEquals(Optional.empty(), RetryRule.retryAfterMillis("soon"));
        assertEquals(Optional.empty(), RetryRule.retryAfterMillis(null));
        String past = "Wed, 21 Oct 2015 07:28:00 GMT";
        assertEquals(Optional.of(0L), RetryRule.retryAfterMillis(past));
    }

    @Test
    void credentialsNeverShowTheirSecret() {
        Credentials credentials = Credentials.parse("user:p@ss:word");
        assertEquals("user", credentials.username());
        assertEquals("p@ss:word", credentials.secret());
        assertFalse(credentials.toString().contains("p@ss"));
        assertEquals("Basic " + Base64.getEncoder().encodeToString("user:p@ss:word".getBytes(StandardCharsets.UTF_8)),
                credentials.basicHeader());
    }

    @Test
    void dockerConfigAuthsByHostUrlAndDockerHubKey(@TempDir Path dir) throws Exception {
        String auth = Base64.getEncoder().encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8));
        Files.writeString(dir.resolve("config.json"), """
                {"auths": {
                   "https://registry.example.com/v2/": {"auth": "%s"},
                   "https://index.docker.io/v1/": {"auth": "%s"},
                   "tokens.example.com": {"identitytoken": "refresh-me"}
                }}""".formatted(auth, auth));
        DockerConfigCredentials config = new DockerConfigCredentials(dir.resolve("config.json"));
        assertEquals("alice", config.lookup("registry.example.com").orElseThrow().username());
        assertEquals("s3cret", config.lookup(RegistryReference.DOCKER_HUB).orElseThrow().secret());
        assertTrue(config.lookup("tokens.example.com").orElseThrow().identityToken());
        assertEquals(Optional.empty(), config.lookup("other.example.com"));
        assertEquals(Optional.empty(), new DockerConfigCredentials(dir.resolve("missing.json")).lookup("x.example"));
    }

    @Test
    void credentialHelperThatIsNotInstalledFindsNothing(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("config.json"), "{\"credHelpers\": {\"ecr.example.com\": \"recast-test-absent\"}}");
        assertEquals(Optional.empty(), new DockerConfigCredentials(dir.resolve("config.json")).lookup("ecr.example.com"));
    }

    @Test
    void plainHttpOnlyForLoopbackAndConfiguredHosts() {
        RegistrySettings settings = RegistrySettings.defaults().withInsecureHosts(java.util.Set.of("registry.lan:5000"));
        assertTrue(settings.isPlainHttp("127.0.0.1:5000"));
        assertTrue(settings.isPlainHttp("localhost"));
        assertTrue(settings.isPlainHttp("registry.lan:5000"));
        assertFalse(settings.isPlainHttp("registry.lan:5001"));
        assertFalse(settings.isPlainHttp("ghcr.io"));
        // a DNS name that merely starts like a loopback address is not one
        assertFalse(settings.isPlainHttp("127.0.0.1.attacker.example"));
        assertFalse(settings.isPlainHttp("127.evil:5000"));
    }
}
