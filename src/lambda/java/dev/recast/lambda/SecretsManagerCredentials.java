package dev.recast.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.registry.CredentialSource;
import dev.recast.registry.Credentials;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;

import java.io.IOException;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Registry credentials kept in one Secrets Manager secret: a JSON object {@code {"host": "user:password"}}. */
public final class SecretsManagerCredentials implements CredentialSource {
    private final String secretArn;
    private final Optional<URI> endpoint;
    private final Optional<String> region;
    private volatile Map<String, Credentials> byHost;

    public SecretsManagerCredentials(String secretArn, Optional<URI> endpoint, Optional<String> region) {
        this.secretArn = secretArn;
        this.endpoint = endpoint;
        this.region = region;
    }

    @Override
    public Optional<Credentials> lookup(String registry) {
        if (byHost == null) {
            byHost = load();
        }
        return Optional.ofNullable(byHost.get(registry));
    }

    private Map<String, Credentials> load() {
        SecretsManagerClientBuilder builder = SecretsManagerClient.builder().httpClient(UrlConnectionHttpClient.create());
        region.map(Region::of).ifPresent(builder::region);
        endpoint.ifPresent(builder::endpointOverride);
        try (SecretsManagerClient client = builder.build()) {
            String text = client.getSecretValue(r -> r.secretId(secretArn)).secretString();
            JsonNode json = new ObjectMapper().readTree(text);
            Map<String, Credentials> out = new HashMap<>();
            json.properties().forEach(e -> out.put(e.getKey(), Credentials.parse(e.getValue().asText())));
            return out;
        } catch (SdkException | IOException | RecastException e) {
            throw new RecastException(ErrorKind.UPSTREAM_AUTH, "cannot read registry credentials from secret "
                    + secretArn + ": " + e.getClass().getSimpleName(), e);
        }
    }
}
