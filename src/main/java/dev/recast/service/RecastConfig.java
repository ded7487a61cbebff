package dev.recast.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The service's configuration ({@code recast.*}; every key also as an environment variable, e.g. RECAST_API_TOKEN). */
@ConfigMapping(prefix = "recast")
public interface RecastConfig {

    Api api();

    Registries registries();

    Conversion conversion();

    Limits limits();

    Webhooks webhooks();

    Cache cache();

    Signing signing();

    interface Api {
        /**
         * Every /v1/ call (webhooks aside) and /q/metrics, /q/openapi, /q/swagger-ui need
         * {@code Authorization: Bearer <token>}. The service does not start without one unless {@link #anonymous()}.
         */
        Optional<String> token();

        /** No token: the service then binds 127.0.0.1 only and answers only requests whose Host is loopback. */
        @WithDefault("false")
        boolean anonymous();

        /** How long a request body may take to arrive in full; a body that trickles is cut (408). */
        @WithDefault("30s")
        Duration bodyTimeout();

        /** Lets API callers name oci: layout directories on the service's disk (off: callers could write files). */
        @WithDefault("false")
        boolean layoutsEnabled();

        /** Conversions and index builds running at once; more are answered 429 with Retry-After. */
        @WithDefault("4")
        int concurrency();

        /** Seconds a refused caller is told to wait. */
        @WithDefault("5")
        int retryAfterSeconds();
    }

    interface Registries {
        /**
         * Registries ({@code host} or {@code host:port}) callers may name; unset: any public registry. Loopback, private
         * and link-local addresses are contacted only when their exact host:port is listed here.
         */
        Optional<List<String>> allowed();

        /** Hosts reached over plain HTTP (loopback always is); a plain-HTTP token realm gets credentials only if listed. */
        Optional<List<String>> insecure();

        /** Globs of {@code host[:port]/repository} the service may write to; unset: any allowed registry. */
        Optional<List<String>> writable();

        /** Credentials as {@code host=user:password} entries. */
        Optional<List<String>> credentials();

        /** A Docker config.json to read credentials from; unset: none (the service never borrows its user's). */
        Optional<String> dockerConfig();

        /** Upload chunk size in bytes (at least 5 MiB). */
        @WithDefault("8388608")
        int chunkSize();

        @WithDefault("4")
        int maxAttempts();

        @WithDefault("10s")
        Duration connectTimeout();

        /** Time to receive a response's headers. */
        @WithDefault("60s")
        Duration requestTimeout();

        /** Longest a read of a response body may wait for bytes (a stalled download is cut and resumed from there). */
        @WithDefault("60s")
        Duration bodyIdleTimeout();

        /** Bytes per second a body must average: one of N bytes gets request-timeout + N / rate in all. */
        @WithDefault("102400")
        long minBodyRate();

        /** Requests per second to each registry, retries included (per-account limits: Docker Hub, ECR); 0: none. */
        @WithDefault("0")
        double requestRate();
    }

    interface Conversion {
        @WithDefault("zstd")
        String compression();

        Optional<Integer> level();

        /** Without a target, the result goes to the source's repository under the source tag + this suffix. */
        @WithDefault("-oci")
        String targetSuffix();

        /** Layers converted in parallel, across all requests. */
        @WithDefault("4")
        int layerParallelism();
    }

    interface Limits {
        @WithDefault("4194304")
        long manifestBytes();

        @WithDefault("8388608")
        long configBytes();

        /** Largest uncompressed layer accepted (64 GiB). */
        @WithDefault("68719476736")
        long layerBytes();

        /**
         * Largest tar/compressed size ratio past 64 MiB of tar (decompression bombs). gzip cannot pass about 1032:1,
         * so this mainly stops zstd bombs; layer-bytes bounds the rest.
         */
        @WithDefault("5000")
        long expansionRatio();

        /** Most entries one index may list; a wider one is refused (413) before any entry is fetched. */
        @WithDefault("1024")
        int indexEntries();

        /** Most indexes nested in one another (1: an index of images); a deeper one is refused (413). */
        @WithDefault("4")
        int indexDepth();

        /** Most layers one image may have; more is refused (413) before any layer is read. */
        @WithDefault("1000")
        int imageLayers();

        /** Longest a conversion or index build may run: it is then stopped (413), its uploads abandoned, no tag moved. */
        @WithDefault("30m")
        Duration conversionTimeout();
    }

    /** The layer cache: converted layers remembered in a repository of each target registry, mounted when met again. */
    interface Cache {
        /** Off: every layer is recompressed, no cache entry is read or written. */
        @WithDefault("true")
        boolean enabled();

        /** The repository, in each target registry, that holds the entries (it must be writable for entries to be kept). */
        @WithDefault("recast-cache")
        String repository();

        /**
         * Unpack the blob of an entry read from the registry and check it against the layer's diff_id before its
         * first use in this process; off, an entry is trusted as far as whoever may push to the cache repository
         * (docs/layer-cache.md).
         */
        @WithDefault("false")
        boolean verify();
    }

    interface Webhooks {
        /** One secret per provider: RECAST_WEBHOOKS_DISTRIBUTION_SECRET, RECAST_WEBHOOKS_GITHUB_SECRET, … */
        Secret distribution();

        Secret harbor();

        Secret dockerhub();

        Secret ecr();

        Secret quay();

        Secret github();

        Secret acr();

        Secret artifactory();

        Secret gar();

        /** Run webhook jobs before answering (200 with outcomes) — for Lambda, where nothing runs after the answer. */
        @WithDefault("false")
        boolean synchronous();

        /** Rules as a JSON array (see the README); unset: convert every tag to {tag}-oci in its repository. */
        Optional<String> rules();

        /** Registry users whose pushes are Recast's own (ignored to avoid loops). */
        Optional<List<String>> ownUsers();

        /** {@code from=to} host rewrites for hosts a payload names but Recast reaches differently. */
        Optional<List<String>> registryAliases();

        /** Artifactory reached with the repository-path method: the repo key is the image's first segment. */
        @WithDefault("false")
        boolean artifactoryRepositoryPath();

        @WithDefault("262144")
        int maxBodyBytes();

        /** Push events one delivery may carry (planning may read the registry once per event). */
        @WithDefault("100")
        int maxEvents();

        @WithDefault("2")
        int workers();

        @WithDefault("200")
        int queue();

        @WithDefault("3")
        int maxAttempts();

        @WithDefault("2s")
        Duration retryDelay();

        /** How long a finished event is remembered, so a redelivery is acknowledged without work. */
        @WithDefault("10m")
        Duration dedupeWindow();
    }

    interface Secret {
        Optional<String> secret();
    }

    /** Signing converted images as cosign does (what {@code --sign-key} does on the command line). */
    interface Signing {
        /** An ECDSA P-256 PEM key file (PKCS#8 or SEC1); unset: the service signs nothing. Read once, at start. */
        Optional<String> keyFile();
    }
}
