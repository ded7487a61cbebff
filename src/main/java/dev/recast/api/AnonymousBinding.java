package dev.recast.api;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.List;
import java.util.Map;

/**
 * Without a token ({@code recast.api.anonymous=true}) the service listens on 127.0.0.1 only, whatever
 * {@code quarkus.http.host} says elsewhere: an anonymous service on all interfaces would be an open credentialed proxy.
 */
public class AnonymousBinding implements ConfigSourceFactory {
    /** Above every ordinary source (environment 300, system properties 400). */
    static final int ORDINAL = 600;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue anonymous = context.getValue("recast.api.anonymous");
        ConfigValue token = context.getValue("recast.api.token");
        boolean hasToken = token != null && token.getValue() != null && !token.getValue().isBlank();
        if (anonymous == null || !"true".equalsIgnoreCase(anonymous.getValue()) || hasToken) {
            return List.of();
        }
        return List.of(new PropertiesConfigSource(Map.of("quarkus.http.host", "127.0.0.1"), "recast-anonymous-binding",
                ORDINAL));
    }
}
