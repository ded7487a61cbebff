package dev.recast.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.registry.http.CredentialSource;
import dev.recast.registry.http.Credentials;

import java.io.IOException;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Registry credentials kept in one Secrets Manager secret: a JSON object {@code {"host": "user:password"}}. */
public final class SecretsManagerCredentials implements CredentialSource {
    private final String secretArn;
    private final SecretsManagerReader secrets;
    private volatile Map<String, Credentials> byHost;

    public SecretsManagerCredentials(String secretArn, Optional<URI> endpoint, Optional<String> region) {
        this.secretArn = secretArn;
        this.secrets = new SecretsManagerReader(endpoint, region);
    }

    @Override
    public Optional<Credentials> lookup(String registry) {
        if (byHost == null) {
            byHost = load();
        }
        return Optional.ofNullable(byHost.get(registry));
    }

    private Map<String, Credentials> load() {
        String text = secrets.read(secretArn);
        try {
            JsonNode json = new ObjectMapper().readTree(text);
            Map<String, Credentials> out = new HashMap<>();
            json.properties().forEach(e -> out.put(e.getKey(), Credentials.parse(e.getValue().asText())));
            return out;
        } catch (IOException | RecastException e) {
            throw new RecastException(ErrorKind.UPSTREAM_AUTH, "secret " + secretArn + " is not a JSON object "
                    + "{\"host\": \"user:password\"}: " + e.getClass().getSimpleName());
        }
    }
}
