package dev.recast.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.recast.ErrorKind;
import dev.recast.RecastException;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** A content digest such as {@code sha256:<64 hex>}: the name of a blob by its bytes. */
public record Digest(String algorithm, String hex) {
    private static final Pattern SHA256_HEX = Pattern.compile("[a-f0-9]{64}");
    private static final Pattern SHA512_HEX = Pattern.compile("[a-f0-9]{128}");

    public Digest {
        if (algorithm == null || hex == null) {
            throw invalid(algorithm + ":" + hex, "missing algorithm or value");
        }
        switch (algorithm) {
            case "sha256" -> {
                if (!SHA256_HEX.matcher(hex).matches()) {
                    throw invalid(algorithm + ":" + hex, "sha256 needs 64 lowercase hex digits");
                }
            }
            case "sha512" -> {
                if (!SHA512_HEX.matcher(hex).matches()) {
                    throw invalid(algorithm + ":" + hex, "sha512 needs 128 lowercase hex digits");
                }
            }
            default -> throw invalid(algorithm + ":" + hex, "unsupported algorithm '" + algorithm + "'");
        }
    }

    @JsonCreator
    public static Digest parse(String text) {
        if (text == null) {
            throw invalid("null", "missing");
        }
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw invalid(text, "expected ALGORITHM:HEX");
        }
        return new Digest(text.substring(0, colon), text.substring(colon + 1));
    }

    public static boolean isDigest(String text) {
        try {
            parse(text);
            return true;
        } catch (RecastException e) {
            return false;
        }
    }

    public static Digest sha256(byte[] data) {
        return of("sha256", newMessageDigest("sha256").digest(data));
    }

    public static Digest of(String algorithm, byte[] digestBytes) {
        return new Digest(algorithm, HexFormat.of().formatHex(digestBytes));
    }

    /** A fresh hasher for this digest's algorithm. */
    public MessageDigest newMessageDigest() {
        return newMessageDigest(algorithm);
    }

    public static MessageDigest newMessageDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(switch (algorithm) {
                case "sha256" -> "SHA-256";
                case "sha512" -> "SHA-512";
                default -> throw invalid(algorithm, "unsupported algorithm");
            });
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + algorithm, e);
        }
    }

    /** The digest of the given bytes in this digest's algorithm. */
    public Digest ofBytes(byte[] data) {
        return of(algorithm, newMessageDigest().digest(data));
    }

    public boolean matches(byte[] data) {
        return equals(ofBytes(data));
    }

    @JsonValue
    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }

    private static RecastException invalid(String text, String why) {
        String shown = text.length() > 200 ? text.substring(0, 200) + "…" : text;
        return new RecastException(ErrorKind.BAD_REQUEST, "invalid digest '" + shown + "': " + why);
    }
}
