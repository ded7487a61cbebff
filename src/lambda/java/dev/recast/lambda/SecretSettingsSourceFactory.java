package dev.recast.lambda;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recast.ErrorKind;
import dev.recast.RecastException;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Adds the function's secrets to its configuration at start, read from Secrets Manager rather than from environment
 * variables (which anyone allowed to read the function's configuration sees, and which Terraform keeps in its
 * state): {@code recast.lambda.settings-secret-arn} names a JSON object of {@code recast.*} settings (webhook
 * secrets, registry credentials), {@code recast.lambda.api-token-secret-arn} a secret whose string is the API token.
 * These values outrank environment variables, so an environment variable cannot replace them; a secret that cannot
 * be read stops the start rather than letting the function run without it.
 */
public final class SecretSettingsSourceFactory implements ConfigSourceFactory {
    /** Above environment variables (300), below system properties (400). */
    static final int ORDINAL = 350;
    static final String API_TOKEN = "recast.api.token";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        Optional<String> settingsArn = value(context, "recast.lambda.settings-secret-arn");
        Optional<String> tokenArn = value(context, "recast.lambda.api-token-secret-arn");
        if (settingsArn.isEmpty() && tokenArn.isEmpty()) {
            return List.of();
        }
        SecretsManagerReader secrets = new SecretsManagerReader(
                value(context, "recast.lambda.aws-endpoint-override").map(URI::create), value(context, "recast.lambda.region"));
        Map<String, String> read = secrets.readAll(Stream.of(settingsArn, tokenArn).flatMap(Optional::stream).toList());
        Map<String, String> values = new HashMap<>();
        settingsArn.ifPresent(arn -> values.putAll(settings(arn, read.get(arn))));
        tokenArn.ifPresent(arn -> values.put(API_TOKEN, token(arn, read.get(arn))));
        return List.of(new PropertiesConfigSource(values, "Secrets Manager", ORDINAL));
    }

    /** The settings secret's keys are recast.* settings; the token and how secrets are found stay out of it. */
    static Map<String, String> settings(String arn, String secret) {
        JsonNode json;
        try {
            json = new ObjectMapper().readTree(secret);
        } catch (JsonProcessingException e) {
            // the parser's message may quote the secret: only its kind is told
            throw new RecastException(ErrorKind.BAD_REQUEST, "secret " + arn + " is not JSON: " + e.getClass().getSimpleName());
        }
        if (json == null || !json.isObject()) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "secret " + arn + " is not a JSON object of settings");
        }
        Map<String, String> out = new HashMap<>();
        json.properties().forEach(entry -> {
            String key = entry.getKey();
            if (!key.startsWith("recast.") || key.startsWith("recast.lambda.") || key.startsWith("recast.api.")) {
                throw new RecastException(ErrorKind.BAD_REQUEST, "secret " + arn + " sets " + key + ": it may set "
                        + "recast.* settings other than recast.api.* (the API token has its own secret, "
                        + "recast.lambda.api-token-secret-arn) and recast.lambda.*");
            }
            if (!entry.getValue().isValueNode() || entry.getValue().isNull()) {
                throw new RecastException(ErrorKind.BAD_REQUEST, "secret " + arn + " sets " + key + " to something "
                        + "other than a string, number or boolean");
            }
            out.put(key, entry.getValue().asText());
        });
        return out;
    }

    private static String token(String arn, String secret) {
        String token = secret.strip();
        if (token.isEmpty()) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "secret " + arn + " (the API token) is empty");
        }
        return token;
    }

    private static Optional<String> value(ConfigSourceContext context, String name) {
        return Optional.ofNullable(context.getValue(name)).map(ConfigValue::getValue).filter(v -> !v.isBlank());
    }
}
