package dev.recast.registry.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/** What kind of network an address belongs to, as far as the host policy cares. */
public enum AddressClass {
    /** Cloud instance metadata and credential services: never contacted, whatever the configuration says. */
    METADATA,
    /**
     * Loopback, private (RFC 1918, RFC 4193), link-local, shared (RFC 6598), unspecified, multicast, broadcast and other
     * special-purpose addresses (RFC 6890) that no public registry uses.
     */
    INTERNAL,
    PUBLIC;

    // AWS/GCP/Azure IMDS, AWS ECS task metadata, EKS Pod Identity, Alibaba Cloud, Azure WireServer; AWS's IPv6 endpoints
    private static final List<byte[]> METADATA_ADDRESSES = List.of(v4(169, 254, 169, 254), v4(169, 254, 170, 2),
            v4(169, 254, 170, 23), v4(100, 100, 100, 200), v4(168, 63, 129, 16),
            v6("fd00:ec2::254"), v6("fd00:ec2::23"));

    public static AddressClass of(InetAddress address) {
        byte[] bytes = embeddedIpv4(address.getAddress());
        for (byte[] metadata : METADATA_ADDRESSES) {
            if (Arrays.equals(metadata, bytes)) {
                return METADATA;
            }
        }
        return bytes.length == 4 ? ipv4(bytes) : ipv6(bytes);
    }

    private static AddressClass ipv4(byte[] b) {
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        boolean internal = first == 0 || first == 10 || first == 127 || first >= 224
                || (first == 100 && (second & 0xc0) == 64)       // shared address space
                || (first == 169 && second == 254)               // link-local
                || (first == 172 && (second & 0xf0) == 16)
                || (first == 192 && second == 168)
                || (first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
                || (first == 198 && (second & 0xfe) == 18);      // benchmarking
        return internal ? INTERNAL : PUBLIC;
    }

    private static AddressClass ipv6(byte[] b) {
        boolean unspecifiedOrLoopback = Arrays.equals(Arrays.copyOf(b, 15), new byte[15]) && (b[15] == 0 || b[15] == 1);
        boolean internal = unspecifiedOrLoopback
                || (b[0] & 0xfe) == 0xfc                          // unique local
                || ((b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0x80) // link-local
                || ((b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0xc0) // site-local (deprecated)
                || (b[0] & 0xff) == 0xff;                          // multicast
        return internal ? INTERNAL : PUBLIC;
    }

    /**
     * The IPv4 address an IPv6 address carries, if it carries one: IPv4-mapped and -compatible ({@code ::ffff:a.b.c.d},
     * {@code ::a.b.c.d}), NAT64 ({@code 64:ff9b::/96}, {@code 64:ff9b:1::/48}), 6to4 ({@code 2002::/16}) and Teredo
     * ({@code 2001::/32}, client address inverted). Sockets reach the IPv4 host behind them, so that is what is judged.
     */
    static byte[] embeddedIpv4(byte[] b) {
        if (b.length == 4) {
            return b;
        }
        boolean zeroPrefix = Arrays.equals(Arrays.copyOf(b, 10), new byte[10]);
        if (zeroPrefix && (((b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) || (b[10] == 0 && b[11] == 0
                && ((b[12] | b[13]) != 0 || (b[14] & 0xff) > 1)))) {
            return Arrays.copyOfRange(b, 12, 16);
        }
        if (b[0] == 0 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
            return Arrays.copyOfRange(b, 12, 16);
        }
        if (b[0] == 0x20 && b[1] == 0x02) {
            return Arrays.copyOfRange(b, 2, 6);
        }
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0) {
            byte[] client = Arrays.copyOfRange(b, 12, 16);
            for (int i = 0; i < 4; i++) {
                client[i] = (byte) ~client[i];
            }
            return client;
        }
        return b;
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

    private static byte[] v4(int a, int b, int c, int d) {
        return new byte[]{(byte) a, (byte) b, (byte) c, (byte) d};
    }

    private static byte[] v6(String literal) {
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}
