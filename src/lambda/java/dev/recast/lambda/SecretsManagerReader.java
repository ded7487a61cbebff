package dev.recast.lambda;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;

import java.net.URI;
import java.util.Optional;

/** Reads a Secrets Manager secret's string with the function's role; each secret is read once, so no client is kept. */
public final class SecretsManagerReader {
    private final Optional<URI> endpoint;
    private final Optional<String> region;

    public SecretsManagerReader(Optional<URI> endpoint, Optional<String> region) {
        this.endpoint = endpoint;
        this.region = region;
    }

    /** The secret's current string; the error names the secret and the failure, never a value. */
    public String read(String secretArn) {
        SecretsManagerClientBuilder builder = SecretsManagerClient.builder().httpClient(UrlConnectionHttpClient.create());
        region.map(Region::of).ifPresent(builder::region);
        endpoint.ifPresent(builder::endpointOverride);
        try (SecretsManagerClient client = builder.build()) {
            String text = client.getSecretValue(r -> r.secretId(secretArn)).secretString();
            if (text == null) {
                throw new RecastException(ErrorKind.UPSTREAM_AUTH, "secret " + secretArn + " holds no string (binary secrets are not read)");
            }
            return text;
        } catch (SdkException e) {
            throw new RecastException(ErrorKind.UPSTREAM_AUTH, "cannot read secret " + secretArn + ": "
                    + e.getClass().getSimpleName(), e);
        }
    }
}
