package dev.recast.lambda;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        return readAll(List.of(secretArn)).get(secretArn);
    }

    /** Each secret's current string, read in order with one client (start-up builds it once). */
    public Map<String, String> readAll(List<String> secretArns) {
        SecretsManagerClientBuilder builder = SecretsManagerClient.builder().httpClient(UrlConnectionHttpClient.create());
        region.map(Region::of).ifPresent(builder::region);
        endpoint.ifPresent(builder::endpointOverride);
        Map<String, String> values = new LinkedHashMap<>();
        try (SecretsManagerClient client = builder.build()) {
            for (String secretArn : secretArns) {
                values.put(secretArn, read(client, secretArn));
            }
        }
        return values;
    }

    private static String read(SecretsManagerClient client, String secretArn) {
        try {
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
