package dev.recast.webhook;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The registries whose webhooks Recast understands, each with how its deliveries prove where they come from. */
public enum Provider {
    DISTRIBUTION(Trust.SHARED_TOKEN),
    HARBOR(Trust.SHARED_TOKEN),
    DOCKERHUB(Trust.URL_TOKEN),
    ECR(Trust.SHARED_TOKEN),
    QUAY(Trust.URL_TOKEN),
    GITHUB(Trust.GITHUB_HMAC),
    ACR(Trust.SHARED_TOKEN),
    ARTIFACTORY(Trust.ARTIFACTORY),
    GAR(Trust.URL_TOKEN);

    /**
     * SHARED_TOKEN: {@code Authorization} equals the secret (or {@code Bearer <secret>}); URL_TOKEN: the
     * {@code token} query parameter equals the secret (for providers that cannot sign); GITHUB_HMAC:
     * {@code X-Hub-Signature-256: sha256=<HMAC-SHA256 of the body>}; ARTIFACTORY: {@code X-JFrog-Event-Auth} is the
     * secret, or the HMAC-SHA256 of the body when "secret for proof of payload" is on.
     */
    public enum Trust { SHARED_TOKEN, URL_TOKEN, GITHUB_HMAC, ARTIFACTORY }

    private final Trust trust;

    Provider(Trust trust) {
        this.trust = trust;
    }

    public Trust trust() {
        return trust;
    }

    public String pathName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Provider> fromPath(String name) {
        return Arrays.stream(values()).filter(p -> p.pathName().equals(name)).findFirst();
    }
}
