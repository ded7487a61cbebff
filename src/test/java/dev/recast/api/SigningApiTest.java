package dev.recast.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recast.testing.ExternalTools;
import dev.recast.testing.HttpServerTest;
import dev.recast.testing.LabHttp;
import dev.recast.testing.LabRegistry;
import dev.recast.testing.LabServiceConfig;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** recast.signing.key-file: the service signs what it converts as cosign does, and never shows the key. */
@QuarkusTest
@TestProfile(SigningApiTest.Profile.class)
@Tag("registry")
@Tag("quarkus")
class SigningApiTest extends HttpServerTest {
    static final Path KEYS = keys();

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return LabServiceConfig.with(Map.of("recast.signing.key-file", KEYS.resolve("key.pem").toString()));
        }
    }

    private static Path keys() {
        try {
            Path dir = Files.createTempDirectory("recast-signing");
            ExternalTools.check("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                    "-out", dir.resolve("key.pem").toString());
            ExternalTools.check("openssl", "pkey", "-in", dir.resolve("key.pem").toString(), "-pubout", "-out",
                    dir.resolve("pub.pem").toString());
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private final LabRegistry lab = LabRegistry.plain();

    @Test
    void aRestConversionIsSignedWithTheConfiguredKey() throws Exception {
        String repository = "signed-api/" + UUID.randomUUID().toString().substring(0, 8);
        String body = given().contentType(ContentType.JSON).body(Map.of("source", lab.host() + "/fixtures/hello:v2s2",
                        "target", lab.host() + "/" + repository + ":oci"))
                .when().post("/v1/conversions").then().statusCode(200).extract().asString();
        JsonNode report = LabHttp.json(body.getBytes());
        String digest = report.path("targetDigest").asText();
        assertTrue(report.path("notes").toString().contains("signed " + digest), body);

        LabHttp http = new LabHttp(lab);
        JsonNode layer = http.manifestJson(repository, digest.replace(':', '-') + ".sig").path("layers").get(0);
        Path payload = Files.write(KEYS.resolve("payload-" + UUID.randomUUID()), http.blob(repository,
                layer.path("digest").asText()));
        Path signature = Files.write(KEYS.resolve("sig-" + UUID.randomUUID()), Base64.getDecoder().decode(
                layer.path("annotations").path("dev.cosignproject.cosign/signature").asText()));
        String verified = ExternalTools.check("openssl", "dgst", "-sha256", "-verify", KEYS.resolve("pub.pem").toString(),
                "-signature", signature.toString(), payload.toString());
        assertTrue(verified.contains("Verified OK"), verified);
        assertEquals(digest, LabHttp.json(Files.readAllBytes(payload)).path("critical").path("image")
                .path("docker-manifest-digest").asText());

        // the key file is configuration only: a request cannot name one, and nothing the API answers shows it
        given().contentType(ContentType.JSON).body(Map.of("source", lab.host() + "/fixtures/hello:v2s2",
                "signKey", "/etc/passwd")).when().post("/v1/conversions").then().statusCode(400);
        List<String> keyLines = Files.readAllLines(KEYS.resolve("key.pem")).stream()
                .filter(l -> !l.startsWith("-----")).toList();
        for (String line : keyLines) {
            assertFalse(body.contains(line.substring(0, 16)), body);
        }
    }
}
