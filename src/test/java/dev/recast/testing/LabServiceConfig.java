package dev.recast.testing;

import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.Map;
import java.util.Set;

/**
 * What every Quarkus test's service runs with, as an operator would set it: an API token, and the lab registries
 * listed explicitly (the service reaches loopback only at listed host:port). Below application.properties and test
 * profiles, which override it where a test needs other settings. The layer cache is off: tests convert the same
 * fixtures into the same lab registry again and again and check what each conversion did, whatever ran before;
 * the tests about the cache turn it on, with a repository of their own.
 */
public class LabServiceConfig implements ConfigSource {
    public static final String TOKEN = "recast-test-token";
    private static final Set<String> NAMES = Set.of("recast.api.token", "recast.registries.allowed",
            "recast.cache.enabled");

    @Override
    public Set<String> getPropertyNames() {
        return NAMES;
    }

    @Override
    public String getValue(String name) {
        return switch (name) {
            case "recast.api.token" -> TOKEN;
            case "recast.registries.allowed" -> allowedLabRegistries();
            case "recast.cache.enabled" -> "false";
            default -> null;
        };
    }

    /** The lab registries the tests use, as recast.registries.allowed takes them. */
    public static String allowedLabRegistries() {
        return String.join(",", LabRegistry.plain().host(), LabRegistry.second().host(), LabRegistry.htpasswd().host());
    }

    /** The base settings with {@code more} on top, for test profiles. */
    public static Map<String, String> with(Map<String, String> more) {
        Map<String, String> config = new java.util.HashMap<>(Map.of("recast.api.token", TOKEN,
                "recast.registries.allowed", allowedLabRegistries(), "recast.cache.enabled", "false"));
        config.putAll(more);
        return config;
    }

    @Override
    public int getOrdinal() {
        return 100;
    }

    @Override
    public String getName() {
        return "recast-test-lab";
    }
}
