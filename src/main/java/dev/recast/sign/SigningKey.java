package dev.recast.sign;

import dev.recast.ErrorKind;
import dev.recast.RecastException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An ECDSA P-256 private key read from a PEM file: PKCS#8 ({@code PRIVATE KEY}, what {@code openssl genpkey} writes)
 * or SEC1 ({@code EC PRIVATE KEY}, what {@code openssl ecparam -genkey} writes). Errors name the file, never a byte
 * of the key; {@link #toString} says nothing about it either.
 */
public final class SigningKey {
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----");
    /** AlgorithmIdentifier { id-ecPublicKey, prime256v1 }, DER: how PKCS#8 names a P-256 key. */
    private static final byte[] P256_ALGORITHM = {0x30, 0x13, 0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d,
            0x02, 0x01, 0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x03, 0x01, 0x07};
    private final PrivateKey key;

    private SigningKey(PrivateKey key) {
        this.key = key;
    }

    public static SigningKey read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "cannot read the signing key file " + file + ": "
                    + e.getClass().getSimpleName());
        }
        Matcher pem = PEM.matcher(text);
        if (!pem.find()) {
            throw bad(file, "is not a PEM file");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(pem.group(2));
        } catch (IllegalArgumentException e) {
            throw bad(file, "holds a PEM block that is not valid base64");
        }
        try {
            return switch (pem.group(1)) {
                case "PRIVATE KEY" -> new SigningKey(p256(ecKey(der), file));
                case "EC PRIVATE KEY" -> new SigningKey(p256(ecKey(pkcs8OfSec1(der)), file));
                default -> throw bad(file, "holds a " + pem.group(1) + "; an unencrypted ECDSA P-256 key "
                        + "(PRIVATE KEY or EC PRIVATE KEY) is needed (openssl pkcs8 -topk8 -nocrypt converts one)");
            };
        } finally {
            Arrays.fill(der, (byte) 0);
        }
    }

    /** The ASN.1 DER ECDSA-SHA256 signature of {@code payload}. */
    public byte[] sign(byte[] payload) {
        try {
            Signature signature = Signature.getInstance("SHA256withECDSA");
            signature.initSign(key);
            signature.update(payload);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot sign with ECDSA P-256", e);
        }
    }

    @Override
    public String toString() {
        return "SigningKey[ECDSA P-256]";
    }

    private static ECPrivateKey ecKey(byte[] pkcs8) {
        try {
            return (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException | ClassCastException e) {
            // the JDK's message may quote the encoding: say only what kind of key it is not
            throw new RecastException(ErrorKind.BAD_REQUEST, "the signing key is not an EC private key");
        }
    }

    private static PrivateKey p256(ECPrivateKey key, Path file) {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec("secp256r1"));
            ECParameterSpec p256 = parameters.getParameterSpec(ECParameterSpec.class);
            if (!key.getParams().getOrder().equals(p256.getOrder())
                    || !key.getParams().getGenerator().equals(p256.getGenerator())) {
                throw bad(file, "holds an EC key of another curve; cosign's key-based signatures use P-256");
            }
            return key;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks the P-256 curve", e);
        }
    }

    /** PKCS#8 around a SEC1 key: SEQUENCE { INTEGER 0, P-256 AlgorithmIdentifier, OCTET STRING { sec1 } }. */
    static byte[] pkcs8OfSec1(byte[] sec1) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[]{0x02, 0x01, 0x00});
        body.writeBytes(P256_ALGORITHM);
        body.write(0x04);
        body.writeBytes(length(sec1.length));
        body.writeBytes(sec1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x30);
        out.writeBytes(length(body.size()));
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static byte[] length(int length) {
        if (length < 0x80) {
            return new byte[]{(byte) length};
        }
        if (length < 0x100) {
            return new byte[]{(byte) 0x81, (byte) length};
        }
        return new byte[]{(byte) 0x82, (byte) (length >> 8), (byte) length};
    }

    private static RecastException bad(Path file, String why) {
        return new RecastException(ErrorKind.BAD_REQUEST, "the signing key file " + file + " " + why);
    }
}
