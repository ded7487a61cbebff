package dev.recast.registry.http;

import java.time.Duration;
import java.util.Set;

/**
 * How Recast talks to registries.
 *
 * @param insecureHosts   hosts (host or host:port) reached over plain HTTP; loopback addresses always are
 * @param chunkSize       upload chunk size; a chunk is held in memory, so this bounds upload memory per layer
 *                        (ECR needs at least 5 MiB)
 * @param manifestLimit   largest manifest accepted, in bytes
 * @param maxAttempts     tries per idempotent request (connection errors, 429, 5xx)
 * @param retryBase       first backoff; doubled each try, with jitter
 * @param connectTimeout  TCP/TLS connect timeout
 * @param requestTimeout  time to receive response headers
 * @param bodyIdleTimeout longest a read of a response body may wait for its next bytes
 * @param minBodyRate     bytes per second a body must average: a body of N bytes has requestTimeout + N / rate to
 *                        arrive in full, so a trickle cannot hold a conversion forever
 * @param hostPolicy      which hosts may be contacted at all
 * @param requestRate     requests per second to each registry, retries included; 0: no limit
 */
public record RegistrySettings(Set<String> insecureHosts, CredentialSource credentials, int chunkSize,
                               long manifestLimit, int maxAttempts, Duration retryBase,
                               Duration connectTimeout, Duration requestTimeout, Duration bodyIdleTimeout,
                               long minBodyRate, HostPolicy hostPolicy, double requestRate) {
    public static final int MIN_CHUNK = 5 << 20;

    public RegistrySettings {
        insecureHosts = insecureHosts == null ? Set.of() : Set.copyOf(insecureHosts);
        credentials = credentials == null ? CredentialSource.none() : credentials;
        hostPolicy = hostPolicy == null ? HostPolicy.permissive() : hostPolicy;
        if (requestRate < 0 || Double.isNaN(requestRate)) {
            throw new IllegalArgumentException("the request rate cannot be negative");
        }
        if (minBodyRate <= 0) {
            throw new IllegalArgumentException("the minimum body rate must be positive");
        }
        if (chunkSize < MIN_CHUNK) {
            throw new IllegalArgumentException("upload chunk size must be at least 5 MiB");
        }
    }

    public static RegistrySettings defaults() {
        return new RegistrySettings(Set.of(), DockerConfigCredentials.defaultLocation(), 8 << 20, 4L << 20, 4,
                Duration.ofMillis(250), Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(60), 100 << 10,
                HostPolicy.permissive(), 0);
    }

    public RegistrySettings withCredentials(CredentialSource source) {
        return new RegistrySettings(insecureHosts, source, chunkSize, manifestLimit, maxAttempts, retryBase,
                connectTimeout, requestTimeout, bodyIdleTimeout, minBodyRate, hostPolicy, requestRate);
    }

    public RegistrySettings withInsecureHosts(Set<String> hosts) {
        return new RegistrySettings(hosts, credentials, chunkSize, manifestLimit, maxAttempts, retryBase,
                connectTimeout, requestTimeout, bodyIdleTimeout, minBodyRate, hostPolicy, requestRate);
    }

    public RegistrySettings withChunkSize(int size) {
        return new RegistrySettings(insecureHosts, credentials, size, manifestLimit, maxAttempts, retryBase,
                connectTimeout, requestTimeout, bodyIdleTimeout, minBodyRate, hostPolicy, requestRate);
    }

    public RegistrySettings withHostPolicy(HostPolicy policy) {
        return new RegistrySettings(insecureHosts, credentials, chunkSize, manifestLimit, maxAttempts, retryBase,
                connectTimeout, requestTimeout, bodyIdleTimeout, minBodyRate, policy, requestRate);
    }

    public RegistrySettings withLimits(long manifestBytes, int maxAttemptsPerCall) {
        return new RegistrySettings(insecureHosts, credentials, chunkSize, manifestBytes, maxAttemptsPerCall, retryBase,
                connectTimeout, requestTimeout, bodyIdleTimeout, minBodyRate, hostPolicy, requestRate);
    }

    public RegistrySettings withTimeouts(Duration connect, Duration request, Duration bodyIdle, long minRate) {
        return new RegistrySettings(insecureHosts, credentials, chunkSize, manifestLimit, maxAttempts, retryBase,
                connect, request, bodyIdle, minRate, hostPolicy, requestRate);
    }

    public RegistrySettings withRequestRate(double perSecond) {
        return new RegistrySettings(insecureHosts, credentials, chunkSize, manifestLimit, maxAttempts, retryBase,
                connectTimeout, requestTimeout, bodyIdleTimeout, minBodyRate, hostPolicy, perSecond);
    }

    /** How long a body of this many bytes (or of unknown length, -1) may take once its headers have arrived. */
    public Duration bodyDeadline(long length) {
        return length < 0 ? null : requestTimeout.plusMillis(length * 1000 / minBodyRate);
    }

    /** Plain HTTP for configured insecure hosts and for loopback (by address, or the name localhost). */
    public boolean isPlainHttp(String registry) {
        if (insecureHosts.contains(registry)) {
            return true;
        }
        String host = HostPolicy.hostOf(registry);
        boolean loopbackLiteral = (AddressClass.isLiteral(host) && host.startsWith("127.")) || host.equals("[::1]");
        return loopbackLiteral || AddressClass.isLocalhostName(host) || insecureHosts.contains(host);
    }
}
