package dev.recast.registry.http;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import org.junit.jupiter.api.Test;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The host policy's rules on addresses (literals only: nothing here opens a connection). */
class HostPolicyTest {
    private static final InetAddressResolver.LookupPolicy IPV4 =
            InetAddressResolver.LookupPolicy.of(InetAddressResolver.LookupPolicy.IPV4);

    private static void refused(HostPolicy policy, String url) {
        RecastException e = assertThrows(RecastException.class, () -> policy.checkConnection(URI.create(url), "test"), url);
        assertEquals(ErrorKind.FORBIDDEN, e.kind());
    }

    private static void allowed(HostPolicy policy, String url) {
        assertDoesNotThrow(() -> policy.checkConnection(URI.create(url), "test"), url);
    }

    @Test
    void metadataAddressesAreRefusedEverywhere() {
        for (HostPolicy policy : List.of(HostPolicy.permissive(), HostPolicy.service(List.of("169.254.169.254")))) {
            refused(policy, "http://169.254.169.254/latest/meta-data");
            refused(policy, "http://169.254.170.2/v2/credentials");
            refused(policy, "http://[fd00:ec2::254]/latest");
            refused(policy, "http://[::ffff:169.254.169.254]/latest");
        }
    }

    @Test
    void ipv4AddressesInsideIpv6AddressesAreJudgedAsWhatTheyReach() throws Exception {
        byte[] loopback = {127, 0, 0, 1};
        byte[] metadata = {(byte) 169, (byte) 254, (byte) 169, (byte) 254};
        for (byte[] v4 : List.of(loopback, metadata)) {
            AddressClass expected = v4 == loopback ? AddressClass.INTERNAL : AddressClass.METADATA;
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(v4, 0, mapped, 12, 4);
            // as a DNS AAAA answer arrives: an Inet6Address the JDK does not turn into an Inet4Address
            assertEquals(expected, AddressClass.of(Inet6Address.getByAddress("rebind.example", mapped, -1)));
            byte[] compatible = mapped.clone();
            compatible[10] = 0;
            compatible[11] = 0;
            assertEquals(expected, AddressClass.of(Inet6Address.getByAddress("x", compatible, -1)));
            byte[] nat64 = new byte[16];
            nat64[1] = 0x64;
            nat64[2] = (byte) 0xff;
            nat64[3] = (byte) 0x9b;
            System.arraycopy(v4, 0, nat64, 12, 4);
            assertEquals(expected, AddressClass.of(Inet6Address.getByAddress("x", nat64, -1)));
            byte[] sixToFour = new byte[16];
            sixToFour[0] = 0x20;
            sixToFour[1] = 0x02;
            System.arraycopy(v4, 0, sixToFour, 2, 4);
            assertEquals(expected, AddressClass.of(Inet6Address.getByAddress("x", sixToFour, -1)));
            byte[] teredo = new byte[16];
            teredo[0] = 0x20;
            teredo[1] = 0x01;
            for (int i = 0; i < 4; i++) {
                teredo[12 + i] = (byte) ~v4[i];
            }
            assertEquals(expected, AddressClass.of(Inet6Address.getByAddress("x", teredo, -1)));
        }
        for (String special : List.of("192.0.0.192", "198.18.0.1", "240.0.0.1", "255.255.255.255", "224.0.0.1")) {
            assertEquals(AddressClass.INTERNAL, AddressClass.of(InetAddress.getByName(special)), special);
        }
        for (String metadataAddress : List.of("168.63.129.16", "169.254.170.23", "fd00:ec2::23")) {
            assertEquals(AddressClass.METADATA, AddressClass.of(InetAddress.getByName(metadataAddress)), metadataAddress);
        }
        assertEquals(AddressClass.PUBLIC, AddressClass.of(InetAddress.getByName("2606:4700::1111")));
    }

    @Test
    void theCommandLineMayReachTheUsersOwnNetwork() {
        HostPolicy cli = HostPolicy.permissive();
        for (String url : List.of("http://127.0.0.1:5000/v2/", "http://10.1.2.3/v2/", "http://192.168.1.10:5000/v2/",
                "https://[fd12::1]/v2/", "http://[::1]:5000/v2/", "https://8.8.8.8/v2/")) {
            allowed(cli, url);
        }
    }

    @Test
    void theServiceReachesInternalAddressesOnlyAtListedHostAndPort() {
        HostPolicy service = HostPolicy.service(List.of("127.0.0.1:5000", "10.1.2.3", "[fd12::1]:8443"));
        allowed(service, "http://127.0.0.1:5000/v2/");
        refused(service, "http://127.0.0.1:5001/v2/");
        allowed(service, "http://10.1.2.3/v2/");
        allowed(service, "https://10.1.2.3/v2/");
        refused(service, "http://10.1.2.3:8080/v2/");
        allowed(service, "https://[fd12::1]:8443/v2/");
        refused(service, "https://[fd12::2]:8443/v2/");
        for (String url : List.of("http://172.16.0.1/", "http://192.168.0.1/", "http://[fe80::1]/", "http://100.64.0.1/",
                "http://0.0.0.0:5000/", "http://[::1]:5000/", "http://127.1.2.3:5000/", "http://[::ffff:127.0.0.1]:5000/")) {
            refused(service, url);
        }
        allowed(service, "https://8.8.8.8/token");
    }

    @Test
    void theServicesRegistriesAreTheListedOnesExactly() {
        HostPolicy service = HostPolicy.service(List.of("registry.example.com", "127.0.0.1:5000"));
        assertDoesNotThrow(() -> service.checkRegistry("registry.example.com"));
        assertDoesNotThrow(() -> service.checkRegistry("127.0.0.1:5000"));
        for (String registry : List.of("registry.example.com:5000", "127.0.0.1:5001", "127.0.0.1", "other.example.com")) {
            RecastException e = assertThrows(RecastException.class, () -> service.checkRegistry(registry));
            assertEquals(ErrorKind.FORBIDDEN, e.kind());
            assertTrue(e.getMessage().contains("recast.registries.allowed"), e.getMessage());
        }
        assertDoesNotThrow(() -> HostPolicy.service(List.of()).checkRegistry("ghcr.io"), "unset: any public registry");
    }

    /** Answers each name with the next of the given addresses: a DNS server that rebinds. */
    private record ScriptedResolver(Deque<String> answers) implements InetAddressResolver {
        @Override
        public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
            return Stream.of(InetAddress.getByName(answers.removeFirst()));
        }

        @Override
        public String lookupByAddress(byte[] addr) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void theResolverRefusesANameReboundToAnInternalAddress() throws Exception {
        String saved = System.getProperty(GuardedResolverProvider.LISTED_NAMES);
        try {
            System.setProperty(GuardedResolverProvider.LISTED_NAMES, "registry.internal");
            InetAddressResolver guarded = GuardedResolverProvider.guarding(new ScriptedResolver(new ArrayDeque<>(List.of(
                    "93.184.216.34", "127.0.0.1", "10.0.0.7", "127.0.0.1", "169.254.169.254"))));
            assertEquals(1, guarded.lookupByName("rebind.example", IPV4).count(), "public at first");
            UnknownHostException rebound = assertThrows(UnknownHostException.class,
                    () -> guarded.lookupByName("rebind.example", IPV4));
            byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1};
            InetAddressResolver aaaa = GuardedResolverProvider.guarding(new InetAddressResolver() {
                @Override
                public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
                    return Stream.of(Inet6Address.getByAddress(host, mapped, -1));
                }

                @Override
                public String lookupByAddress(byte[] addr) {
                    throw new UnsupportedOperationException();
                }
            });
            assertThrows(UnknownHostException.class, () -> aaaa.lookupByName("rebind.example", IPV4), "an AAAA ::ffff:127.0.0.1");
            assertTrue(rebound.getMessage().contains("127.0.0.1"), rebound.getMessage());
            assertEquals(1, guarded.lookupByName("registry.internal", IPV4).count(), "a listed name");
            assertEquals(1, guarded.lookupByName("localhost", IPV4).count(), "localhost cannot be rebound");
            assertThrows(UnknownHostException.class, () -> guarded.lookupByName("registry.internal", IPV4),
                    "metadata even for a listed name");
        } finally {
            if (saved == null) {
                System.clearProperty(GuardedResolverProvider.LISTED_NAMES);
            } else {
                System.setProperty(GuardedResolverProvider.LISTED_NAMES, saved);
            }
        }
    }

    @Test
    void theCommandLineResolverRefusesOnlyMetadata() throws Exception {
        String saved = System.getProperty(GuardedResolverProvider.LISTED_NAMES);
        try {
            System.clearProperty(GuardedResolverProvider.LISTED_NAMES);
            InetAddressResolver guarded = GuardedResolverProvider.guarding(new ScriptedResolver(new ArrayDeque<>(List.of(
                    "10.0.0.7", "169.254.169.254"))));
            assertEquals(1, guarded.lookupByName("nas.lan", IPV4).count());
            assertThrows(UnknownHostException.class, () -> guarded.lookupByName("metadata.lan", IPV4));
        } finally {
            if (saved != null) {
                System.setProperty(GuardedResolverProvider.LISTED_NAMES, saved);
            }
        }
    }

    @Test
    void theJdkFindsAndInstallsTheGuardedResolver() {
        assertTrue(ServiceLoader.load(InetAddressResolverProvider.class).stream()
                .anyMatch(p -> p.type() == GuardedResolverProvider.class));
        assertTrue(GuardedResolverProvider.isInstalled(), "this test JVM resolves names through the guard");
    }

}
