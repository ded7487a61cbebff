package dev.recast.registry.http;

import dev.recast.ErrorKind;
import dev.recast.RecastException;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;

/**
 * Which hosts Recast may connect to. Checked for every connection it makes — registry, token realm, redirect target,
 * upload {@code Location} — because each of those can be chosen by whoever answers, not only by the operator.
 * <ul>
 * <li>Everywhere: cloud metadata addresses are refused.</li>
 * <li>In the service ({@link #service}): registries a caller names must be on {@code recast.registries.allowed}
 * (when it is set); loopback, private, link-local and other internal addresses are refused unless their exact
 * {@code host:port} is listed there (a listed host without a port means its default port only). Names are checked
 * again when the JDK resolves them ({@link GuardedResolverProvider}), so a name cannot resolve to a public address
 * here and to an internal one when the connection is made.</li>
 * <li>On the command line ({@link #permissive}): the user's own machine and network are fair game.</li>
 * </ul>
 */
public final class HostPolicy {
    private final boolean service;
    private final Set<String> allowed;

    private HostPolicy(boolean service, Set<String> allowed) {
        this.service = service;
        this.allowed = allowed;
    }

    /** The command line's policy: anything but metadata addresses. */
    public static HostPolicy permissive() {
        return new HostPolicy(false, Set.of());
    }

    /** The service's policy; an empty list lets callers name any public registry. */
    public static HostPolicy service(Collection<String> allowed) {
        Set<String> entries = Set.copyOf(allowed.stream().map(String::trim).filter(e -> !e.isEmpty())
                .map(e -> e.toLowerCase(Locale.ROOT)).toList());
        GuardedResolverProvider.listNames(entries.stream().map(HostPolicy::hostOf).toList());
        return new HostPolicy(true, entries);
    }

    public boolean isService() {
        return service;
    }

    /** Checks a registry a caller names (before any connection to it is attempted). */
    public void checkRegistry(String registry) {
        if (service && !allowed.isEmpty() && !allowed.contains(registry.toLowerCase(Locale.ROOT))) {
            throw new RecastException(ErrorKind.FORBIDDEN, "registry " + registry
                    + " is not on this service's allow-list (recast.registries.allowed)");
        }
    }

    /**
     * Checks one connection about to be made. A name that does not resolve passes: the connection then fails with its
     * own, clearer error.
     *
     * @param what what the connection is for, for the error ("the token realm of registry r.example")
     */
    public void checkConnection(URI uri, String what) {
        String host = uri.getHost();
        if (host == null) {
            throw new RecastException(ErrorKind.UPSTREAM, what + " is not a usable URL: " + uri);
        }
        host = host.toLowerCase(Locale.ROOT);
        int port = RegistryOrigin.port(uri);
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        } catch (UnknownHostException e) {
            return;
        }
        for (InetAddress address : addresses) {
            switch (AddressClass.of(address)) {
                case METADATA -> throw new RecastException(ErrorKind.FORBIDDEN, what + " (" + host + ") resolves to "
                        + address.getHostAddress() + ", a cloud metadata address, which Recast never contacts");
                case INTERNAL -> {
                    if (service && !listed(host, port, uri.getScheme())) {
                        throw new RecastException(ErrorKind.FORBIDDEN, what + " (" + host + ":" + port + ") resolves to "
                                + address.getHostAddress() + ", an internal address; this service contacts internal "
                                + "addresses only when their exact host:port is listed in recast.registries.allowed");
                    }
                }
                case PUBLIC -> {
                    // public hosts may be reached: a token service, a CDN or object storage a registry names
                }
            }
        }
    }

    private boolean listed(String host, int port, String scheme) {
        return allowed.contains(host + ":" + port) || (port == RegistryOrigin.defaultPort(scheme) && allowed.contains(host));
    }

    /** The host part of {@code host[:port]} (IPv6 literals keep their brackets). */
    static String hostOf(String registry) {
        if (registry.startsWith("[")) {
            return registry.substring(0, registry.indexOf(']') + 1);
        }
        int colon = registry.lastIndexOf(':');
        return colon < 0 ? registry : registry.substring(0, colon);
    }
}
