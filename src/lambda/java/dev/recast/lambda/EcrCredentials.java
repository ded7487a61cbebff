package dev.recast.lambda;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.registry.http.CredentialSource;
import dev.recast.registry.http.Credentials;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.EcrClientBuilder;
import software.amazon.awssdk.services.ecr.model.AuthorizationData;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Basic credentials for ECR registries from {@code GetAuthorizationToken}, made with the function's own role and
 * cached per registry until shortly before the token expires (12 hours).
 */
public final class EcrCredentials implements CredentialSource {
    private static final Logger LOG = Logger.getLogger(EcrCredentials.class);
    private static final Pattern ECR_HOST = Pattern.compile("([0-9]{12})\\.dkr\\.ecr(?:-fips)?\\.([a-z0-9-]+)\\.amazonaws\\.com(?:\\.cn)?");
    private final Optional<URI> endpoint;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(Credentials credentials, Instant refreshAt) {
    }

    public EcrCredentials(Optional<URI> endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public Optional<Credentials> lookup(String registry) {
        Matcher host = ECR_HOST.matcher(registry);
        if (!host.matches()) {
            return Optional.empty();
        }
        Cached cached = cache.get(registry);
        if (cached != null && Instant.now().isBefore(cached.refreshAt())) {
            return Optional.of(cached.credentials());
        }
        Cached fresh = fetch(host.group(1), host.group(2));
        cache.put(registry, fresh);
        return Optional.of(fresh.credentials());
    }

    private Cached fetch(String account, String region) {
        EcrClientBuilder builder = EcrClient.builder().region(Region.of(region)).httpClient(UrlConnectionHttpClient.create());
        endpoint.ifPresent(builder::endpointOverride);
        try (EcrClient ecr = builder.build()) {
            AuthorizationData data = ecr.getAuthorizationToken(r -> r.registryIds(account)).authorizationData().getFirst();
            String decoded = new String(Base64.getDecoder().decode(data.authorizationToken()), StandardCharsets.UTF_8);
            Instant expires = data.expiresAt() != null ? data.expiresAt() : Instant.now().plus(Duration.ofHours(12));
            LOG.debugf("ECR token for %s valid until %s", account, expires);
            return new Cached(Credentials.parse(decoded), expires.minus(Duration.ofMinutes(5)));
        } catch (SdkException | IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new RecastException(ErrorKind.UPSTREAM_AUTH, "cannot get an ECR authorization token for account "
                    + account + " in " + region + ": " + e.getClass().getSimpleName(), e);
        }
    }
}
