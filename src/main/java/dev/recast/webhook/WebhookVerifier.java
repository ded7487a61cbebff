package dev.recast.webhook;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.function.Function;

/** Checks that a delivery carries the provider's secret, comparing in constant time over the raw body. */
public final class WebhookVerifier {

    private WebhookVerifier() {
    }

    /**
     * @param header reads a request header (case-insensitive), null when absent
     * @param token  the {@code token} query parameter, or null
     */
    public static boolean verify(Provider provider, String secret, byte[] body, Function<String, String> header, String token) {
        if (secret == null || secret.isEmpty()) {
            return false;
        }
        return switch (provider.trust()) {
            case SHARED_TOKEN -> {
                String given = header.apply("Authorization");
                yield given != null && (equal(given, secret) || equal(given, "Bearer " + secret));
            }
            case URL_TOKEN -> token != null && equal(token, secret);
            case GITHUB_HMAC -> {
                String given = header.apply("X-Hub-Signature-256");
                yield given != null && equal(given.toLowerCase(Locale.ROOT), "sha256=" + hmac(secret, body));
            }
            case ARTIFACTORY -> {
                String given = header.apply("X-JFrog-Event-Auth");
                yield given != null && (equal(given, secret) || equal(given.toLowerCase(Locale.ROOT), hmac(secret, body)));
            }
        };
    }

    public static String hmac(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    private static boolean equal(String given, String expected) {
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }
}
