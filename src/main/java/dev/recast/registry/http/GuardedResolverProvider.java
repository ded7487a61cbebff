package dev.recast.registry.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The JDK's own resolver, checked: {@link HostPolicy} looks at a name before Recast connects, but the JDK resolves it
 * again when it connects, and a hostile DNS server can answer a public address the first time and an internal one
 * the second (DNS rebinding). This resolver sees the address actually connected to and refuses, for every name:
 * metadata addresses always; internal addresses in a service process unless the name is listed in
 * {@code recast.registries.allowed} (names meaning this machine, such as {@code localhost}, cannot be rebound and
 * pass).
 * <p>
 * The JDK installs one resolver per process, found through {@code META-INF/services}; it may be loaded by another class
 * loader than the service (Quarkus's test and Lambda class loaders), so the listed names are kept in a system
 * property, the one store both copies of this class share.
 */
public final class GuardedResolverProvider extends InetAddressResolverProvider {
    /** Names allowed to resolve to internal addresses; present only in a service process. */
    static final String LISTED_NAMES = "dev.recast.resolver.listed-names";

    /** Puts this process under the service's rule, adding names that may resolve to internal addresses. */
    static synchronized void listNames(Collection<String> names) {
        Set<String> all = new TreeSet<>(listedNames());
        names.forEach(n -> all.add(n.toLowerCase(Locale.ROOT)));
        System.setProperty(LISTED_NAMES, String.join(",", all));
    }

    private static List<String> listedNames() {
        String value = System.getProperty(LISTED_NAMES);
        return value == null || value.isEmpty() ? List.of() : List.of(value.split(","));
    }

    /** Set once the JDK has installed this resolver (in whichever class loader): the guard is live. */
    static final String INSTALLED = "dev.recast.resolver.installed";

    @Override
    public InetAddressResolver get(Configuration configuration) {
        System.setProperty(INSTALLED, "true");
        return new Guarded(configuration.builtinResolver());
    }

    /**
     * Whether the JDK uses this resolver. It picks one at its first name lookup, through the class loader of the thread
     * doing it, so a process whose first lookup happened elsewhere (a runtime's own class loader) runs without it.
     */
    public static boolean isInstalled() {
        try {
            InetAddress.getAllByName("localhost");
        } catch (UnknownHostException ignored) {
            // the lookup only makes the JDK choose its resolver
        }
        return Boolean.getBoolean(INSTALLED);
    }

    @Override
    public String name() {
        return "recast-guarded";
    }

    /** Applies the rule to what {@code delegate} answers. */
    static InetAddressResolver guarding(InetAddressResolver delegate) {
        return new Guarded(delegate);
    }

    private record Guarded(InetAddressResolver delegate) implements InetAddressResolver {
        @Override
        public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
            List<InetAddress> addresses = delegate.lookupByName(host, policy).toList();
            String name = host.toLowerCase(Locale.ROOT);
            boolean service = System.getProperty(LISTED_NAMES) != null;
            for (InetAddress address : addresses) {
                AddressClass kind = AddressClass.of(address);
                if (kind == AddressClass.METADATA) {
                    throw new UnknownHostException(host + " resolves to " + address.getHostAddress()
                            + ", a cloud metadata address, which Recast never contacts");
                }
                if (kind == AddressClass.INTERNAL && service && !AddressClass.isLocalhostName(name)
                        && !listedNames().contains(name)) {
                    throw new UnknownHostException(host + " resolves to " + address.getHostAddress() + ", an internal "
                            + "address, and is not listed in recast.registries.allowed");
                }
            }
            return addresses.stream();
        }

        @Override
        public String lookupByAddress(byte[] address) throws UnknownHostException {
            return delegate.lookupByAddress(address);
        }
    }
}
