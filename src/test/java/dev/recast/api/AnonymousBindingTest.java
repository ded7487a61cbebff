package dev.recast.api;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Anonymous mode pins the listening address to loopback, above every ordinary configuration source. */
class AnonymousBindingTest {

    private static List<ConfigSource> sources(Map<String, String> given) {
        ConfigSourceContext context = new ConfigSourceContext() {
            @Override
            public ConfigValue getValue(String name) {
                return given.containsKey(name) ? ConfigValue.builder().withName(name).withValue(given.get(name)).build() : null;
            }

            @Override
            public List<String> getProfiles() {
                return List.of();
            }

            @Override
            public Iterator<String> iterateNames() {
                return given.keySet().iterator();
            }
        };
        return StreamSupport.stream(new AnonymousBinding().getConfigSources(context).spliterator(), false).toList();
    }

    @Test
    void anonymousWithoutATokenListensOnLoopbackOnly() {
        List<ConfigSource> sources = sources(Map.of("recast.api.anonymous", "true", "quarkus.http.host", "0.0.0.0"));
        assertEquals(1, sources.size());
        assertEquals("127.0.0.1", sources.getFirst().getValue("quarkus.http.host"));
        assertTrue(sources.getFirst().getOrdinal() > 400, "above system properties and the environment");
        assertEquals(List.of(), sources(Map.of("recast.api.anonymous", "true", "recast.api.token", "t")), "a token wins");
        assertEquals(List.of(), sources(Map.of()));
    }

    @Test
    void theFactoryIsRegisteredInEveryBuild() {
        // the Lambda build copies its own services file over the main one: both must name this factory
        assertTrue(ServiceLoader.load(ConfigSourceFactory.class).stream().anyMatch(p -> p.type() == AnonymousBinding.class));
    }
}
