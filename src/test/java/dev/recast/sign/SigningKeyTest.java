package dev.recast.sign;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.model.Digest;
import dev.recast.testing.ExternalTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keys made by openssl, signatures checked by openssl: nothing but the JDK and openssl agree here. */
class SigningKeyTest {
    @TempDir
    Path tmp;

    /** Signs with {@code key} and has openssl verify the DER signature against the public key of {@code keyFile}. */
    private void assertOpensslVerifies(SigningKey key, Path keyFile) throws Exception {
        Path payload = Files.write(tmp.resolve("payload"), CosignSigner.payload("reg.test/app",
                Digest.sha256("image".getBytes(StandardCharsets.UTF_8))));
        Path signature = Files.write(tmp.resolve("sig.der"), key.sign(Files.readAllBytes(payload)));
        ExternalTools.check("openssl", "pkey", "-in", keyFile.toString(), "-pubout", "-out", tmp.resolve("pub.pem").toString());
        String verified = ExternalTools.check("openssl", "dgst", "-sha256", "-verify", tmp.resolve("pub.pem").toString(),
                "-signature", signature.toString(), payload.toString());
        assertTrue(verified.contains("Verified OK"), verified);
    }

    @Test
    void aPkcs8KeySignsWhatOpensslVerifies() throws Exception {
        Path file = tmp.resolve("pkcs8.pem");
        ExternalTools.check("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-out", file.toString());
        assertTrue(Files.readString(file).contains("BEGIN PRIVATE KEY"));
        assertOpensslVerifies(SigningKey.read(file), file);
    }

    @Test
    void aSec1KeySignsWhatOpensslVerifies() throws Exception {
        Path file = tmp.resolve("sec1.pem");
        ExternalTools.check("openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", file.toString());
        assertTrue(Files.readString(file).contains("BEGIN EC PRIVATE KEY"));
        assertOpensslVerifies(SigningKey.read(file), file);
    }

    @Test
    void anotherCurveIsRefusedWithoutShowingTheKey() throws Exception {
        Path file = tmp.resolve("p384.pem");
        ExternalTools.check("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384",
                "-out", file.toString());
        RecastException e = assertThrows(RecastException.class, () -> SigningKey.read(file));
        assertEquals(ErrorKind.BAD_REQUEST, e.kind());
        assertTrue(e.getMessage().contains("P-256"), e.getMessage());
        assertKeyNotShown(file, e.getMessage());
    }

    @Test
    void anRsaKeyOrAnythingElseIsRefusedWithoutShowingIt() throws Exception {
        Path rsa = tmp.resolve("rsa.pem");
        ExternalTools.check("openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
                "-out", rsa.toString());
        RecastException e = assertThrows(RecastException.class, () -> SigningKey.read(rsa));
        assertKeyNotShown(rsa, e.getMessage());
        Path text = Files.writeString(tmp.resolve("notes.txt"), "not a key");
        assertTrue(assertThrows(RecastException.class, () -> SigningKey.read(text)).getMessage().contains("not a PEM"));
        assertThrows(RecastException.class, () -> SigningKey.read(tmp.resolve("missing.pem")));
    }

    @Test
    void theKeySaysNothingAboutItselfWhenPrinted() throws Exception {
        Path file = tmp.resolve("k.pem");
        ExternalTools.check("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-out", file.toString());
        assertKeyNotShown(file, SigningKey.read(file).toString());
    }

    private static void assertKeyNotShown(Path file, String text) throws Exception {
        List<String> lines = Files.readAllLines(file).stream().filter(l -> !l.startsWith("-----")).toList();
        for (String line : lines) {
            for (int i = 0; i + 16 <= line.length(); i += 16) {
                assertFalse(text.contains(line.substring(i, i + 16)), "the message shows the key: " + text);
            }
        }
    }
}
