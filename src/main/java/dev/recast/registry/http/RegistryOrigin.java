package dev.recast.registry.http;

import java.net.URI;

/**
 * A registry host and the origin (scheme, host, port) its API lives at: the only place its credentials and tokens
 * are sent. A registry may name other hosts (upload locations, blob redirects); those are never its origin.
 */
public record RegistryOrigin(String registry, URI base) {

    public static RegistryOrigin of(String registry, RegistrySettings settings) {
        return new RegistryOrigin(registry, URI.create((settings.isPlainHttp(registry) ? "http://" : "https://")
                + registry + "/v2/"));
    }

    /** {@code http(s)://registry/v2/} + path. */
    public URI url(String path) {
        return URI.create(base + path);
    }

    /** Whether a URL is on the registry's own origin (scheme, host and port). */
    public boolean isOwn(URI uri) {
        return base.getScheme().equalsIgnoreCase(uri.getScheme()) && base.getHost().equalsIgnoreCase(uri.getHost())
                && port(base) == port(uri);
    }

    /** The registry, or the other host a URL points at, for errors. */
    public String describe(URI uri) {
        return isOwn(uri) ? "registry " + registry : "host " + uri.getHost() + " (named by registry " + registry + ")";
    }

    /** The port a URL reaches: its own, or its scheme's default. */
    static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : defaultPort(uri.getScheme());
    }

    static int defaultPort(String scheme) {
        return "https".equalsIgnoreCase(scheme) ? 443 : 80;
    }
}
