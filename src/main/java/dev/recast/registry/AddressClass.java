package dev.recast.registry;

import java.net.InetAddress;
import java.util.Set;

/** What kind of network an address belongs to, as far as the host policy cares. */
public enum AddressClass {
    /** Cloud instance metadata services: never contacted, whatever the configuration says. */
    METADATA,
    /** Loopback, private (RFC 1918, RFC 4193), link-local, shared (RFC 6598), unspecified and multicast addresses. */
    INTERNAL,
    PUBLIC;

    // AWS/GCP/Azure 169.254.169.254, AWS ECS task metadata, Alibaba Cloud, and AWS's IPv6 endpoint fd00:ec2::254
    private static final Set<String> METADATA_ADDRESSES = Set.of("169.254.169.254", "169.254.170.2",
            "100.100.100.200", "fd00:ec2:0:0:0:0:0:254");

    public static AddressClass of(InetAddress address) {
        if (METADATA_ADDRESSES.contains(address.getHostAddress())) {
            return METADATA;
        }
        if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return INTERNAL;
        }
        byte[] bytes = address.getAddress();
        boolean uniqueLocal = bytes.length == 16 && (bytes[0] & 0xfe) == 0xfc;
        boolean sharedOrZero = bytes.length == 4 && ((bytes[0] & 0xff) == 0
                || ((bytes[0] & 0xff) == 100 && (bytes[1] & 0xc0) == 64));
        return uniqueLocal || sharedOrZero ? INTERNAL : PUBLIC;
    }

    /** An IPv4 literal or a bracketed IPv6 literal, which no resolver is asked about. */
    public static boolean isLiteral(String host) {
        return host.startsWith("[") || host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    /** Names that always mean this machine (RFC 6761), never asked of DNS and so never rebound. */
    public static boolean isLocalhostName(String host) {
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        return name.equals("localhost") || name.endsWith(".localhost");
    }
}
