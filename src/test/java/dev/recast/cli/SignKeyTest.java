package dev.recast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recast.testing.ExternalTools;
import dev.recast.testing.LabHttp;
import dev.recast.testing.LabRegistry;
import dev.recast.testing.UniqueImages;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --sign-key}: the converted image signed in cosign's tag-scheme format, checked with openssl against what the
 * registry holds (no cosign binary here): the signature over the payload bytes, the payload naming the digest.
 */
@Tag("registry")
class SignKeyTest {
    private static final LabRegistry LAB = LabRegistry.plain();
    private static final LabHttp HTTP = new LabHttp(LAB);
    private final String repository = "signed/" + UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    Path tmp;

    private CliRun convert(String tag, String... options) {
        String source = UniqueImages.push(LAB, tmp, repository, tag, 1);
        List<String> args = new java.util.ArrayList<>(List.of("convert", source, LAB.ref(repository + ":" + tag + "-oci"),
                "--json", "--insecure", LAB.host()));
        args.addAll(List.of(options));
        return CliRun.of(args);
    }

    private Path key(String... genkey) {
        Path key = tmp.resolve("key-" + UUID.randomUUID() + ".pem");
        List<String> command = new java.util.ArrayList<>(List.of(genkey));
        command.addAll(List.of("-out", key.toString()));
        ExternalTools.check(command.toArray(String[]::new));
        ExternalTools.check("openssl", "pkey", "-in", key.toString(), "-pubout", "-out", key + ".pub");
        return key;
    }

    /** Checks every signature of the {@code .sig} tag of {@code digest} with openssl; returns the payloads. */
    private List<JsonNode> assertSignedBy(Path key, String digest, int signatures) throws Exception {
        JsonNode manifest = HTTP.manifestJson(repository, digest.replace(':', '-') + ".sig");
        assertEquals("application/vnd.oci.image.manifest.v1+json", manifest.path("mediaType").asText());
        assertEquals(signatures, manifest.path("layers").size(), manifest.toString());
        List<JsonNode> payloads = new java.util.ArrayList<>();
        for (JsonNode layer : manifest.path("layers")) {
            assertEquals("application/vnd.dev.cosign.simplesigning.v1+json", layer.path("mediaType").asText());
            byte[] payload = HTTP.blob(repository, layer.path("digest").asText());
            Path payloadFile = Files.write(tmp.resolve("payload-" + UUID.randomUUID()), payload);
            Path signature = Files.write(tmp.resolve("sig-" + UUID.randomUUID() + ".der"), Base64.getDecoder()
                    .decode(layer.path("annotations").path("dev.cosignproject.cosign/signature").asText()));
            ExternalTools.Result verified = ExternalTools.run(List.of("openssl", "dgst", "-sha256", "-verify",
                    key + ".pub", "-signature", signature.toString(), payloadFile.toString()));
            if (verified.exitCode() == 0) {
                assertTrue(verified.out().contains("Verified OK"), verified.out());
                payloads.add(LabHttp.json(payload));
            }
        }
        return payloads;
    }

    @Test
    void aPkcs8KeySignsTheConvertedImageAsCosignDoes() throws Exception {
        Path key = key("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256");
        CliRun run = convert("v1", "--sign-key", key.toString());
        assertEquals(0, run.code(), run.err());
        JsonNode report = new ObjectMapper().readTree(run.out());
        String digest = report.path("targetDigest").asText();
        assertTrue(report.path("notes").toString().contains("signed " + digest), report.toString());

        List<JsonNode> payloads = assertSignedBy(key, digest, 1);
        assertEquals(1, payloads.size());
        JsonNode critical = payloads.getFirst().path("critical");
        assertEquals(digest, critical.path("image").path("docker-manifest-digest").asText());
        assertEquals(LAB.host() + "/" + repository, critical.path("identity").path("docker-reference").asText());
        assertEquals("cosign container image signature", critical.path("type").asText());
        assertTrue(payloads.getFirst().has("optional"));
    }

    @Test
    void aSec1KeyAddsItsSignatureBesideAnEarlierOne() throws Exception {
        Path first = key("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256");
        Path second = key("openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout");
        assertEquals(0, convert("v2", "--sign-key", first.toString()).code());
        // the same conversion again, signed with another key: both signatures stay under the one .sig tag
        CliRun again = CliRun.of(List.of("convert", LAB.ref(repository + ":v2"), LAB.ref(repository + ":v2-oci"),
                "--json", "--insecure", LAB.host(), "--sign-key", second.toString()));
        assertEquals(0, again.code(), again.err());
        String digest = new ObjectMapper().readTree(again.out()).path("targetDigest").asText();
        assertEquals(1, assertSignedBy(first, digest, 2).size());
        assertEquals(1, assertSignedBy(second, digest, 2).size());
    }

    @Test
    void aKeyOfAnotherCurveFailsBeforeAnythingIsConvertedAndIsNeverShown() throws Exception {
        Path key = key("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384");
        CliRun run = convert("v3", "--sign-key", key.toString());
        assertEquals(1, run.code(), run.out());
        assertTrue(run.err().contains("P-256"), run.err());
        assertTrue(run.err().contains(key.toString()), run.err());
        for (String line : Files.readAllLines(key)) {
            if (!line.startsWith("-----")) {
                assertFalse(run.err().contains(line.substring(0, 20)), run.err());
            }
        }
        assertEquals(null, HTTP.manifest(repository, "v3-oci"));
    }
}
