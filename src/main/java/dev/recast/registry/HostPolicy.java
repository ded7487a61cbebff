package dev.recast.registry;

import dev.recast.ErrorKind;
import dev.recast.RecastException;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;

/**
 * Which hosts Recast may contact. Registries must be on the allow-list when one is set; every host (registries,
 * token realms, redirect targets) is refused when it resolves to a link-local or cloud metadata address, so that a
 * caller cannot make the service fetch internal URLs.
 */
public final class HostPolicy {
    private final Set<String> allowedRegistries;

    private HostPolicy(Set<String> allowedRegistries) {
        this.allowedRegistries = allowedRegistries;
    }

    /** Any registry, but never link-local or metadata addresses. */
    public static HostPolicy open() {
        return new HostPolicy(Set.of());
    }

    public static HostPolicy allowing(Collection<String> registries) {
        return new HostPolicy(Set.copyOf(registries.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList()));
    }

    public boolean restrictsRegistries() {
        return !allowedRegistries.isEmpty();
    }

    /** Checks a registry named by a caller: on the allow-list (when set) and not an internal address. */
    public void checkRegistry(String registry) {
        String key = registry.toLowerCase(Locale.ROOT);
        if (!allowedRegistries.isEmpty() && !allowedRegistries.contains(key) && !allowedRegistries.contains(hostOf(key))) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "registry " + registry + " is not on the allow-list "
                    + "(recast.registries.allowed)");
        }
        checkHost(hostOf(key), "registry " + registry);
    }

    /** Checks any host Recast is sent to (token realm, redirect target). */
    public void checkHost(String host, String what) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(bare);
        } catch (UnknownHostException e) {
            return; // the connection will fail with a clear error of its own
        }
        for (InetAddress address : addresses) {
            if (address.isLinkLocalAddress() || isMetadata(address) || address.isAnyLocalAddress()) {
                throw new RecastException(ErrorKind.BAD_REQUEST, what + " resolves to " + address.getHostAddress()
                        + ", a link-local or metadata address Recast never contacts");
            }
        }
    }

    private static boolean isMetadata(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length == 4) {
            return (bytes[0] & 0xff) == 169 && (bytes[1] & 0xff) == 254;
        }
        // fd00:ec2::254, the IPv6 address of the EC2 instance metadata service
        return bytes.length == 16 && (bytes[0] & 0xff) == 0xfd && bytes[1] == 0 && (bytes[2] & 0xff) == 0x0e
                && (bytes[3] & 0xff) == 0xc2 && bytes[14] == 0x02 && (bytes[15] & 0xff) == 0x54
                && java.util.stream.IntStream.range(4, 14).allMatch(i -> bytes[i] == 0);
    }

    static String hostOf(String registry) {
        if (registry.startsWith("[")) {
            return registry.substring(0, registry.indexOf(']') + 1);
        }
        int colon = registry.lastIndexOf(':');
        return colon < 0 ? registry : registry.substring(0, colon);
    }
}
