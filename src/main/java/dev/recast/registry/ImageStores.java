package dev.recast.registry;

import dev.recast.registry.http.RegistryEndpointCaller;
import dev.recast.registry.http.RegistrySettings;
import dev.recast.registry.http.RegistryStore;
import dev.recast.registry.http.TransferCounters;
import dev.recast.registry.http.WritableRepositories;
import dev.recast.registry.layout.OciLayoutStore;
import dev.recast.registry.reference.ImageReference;
import dev.recast.registry.reference.LayoutReference;
import dev.recast.registry.reference.RegistryReference;
import dev.recast.registry.store.ImageStore;
import dev.recast.registry.store.StoreFactory;

import java.net.http.HttpClient;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Opens the store each kind of reference lives in. Registry stores of one host share a {@link RegistryEndpointCaller}
 * (connections, tokens); all share one set of {@link TransferCounters}.
 */
public final class ImageStores implements StoreFactory, AutoCloseable {
    static final int MAX_CALLERS = 64;
    /**
     * The JDK client reads a socket in buffers of {@code jdk.httpclient.bufsize} (16 KiB by default), each passed
     * through its reactive chain of Java code: a blob then costs a trip per 16 KiB. 256 KiB took a tenth of the CPU
     * off the big image (bench/run) at no measured cost in memory. Read once, when the client's classes load, so set
     * here before the first client is built; an operator's own -D setting wins.
     */
    static final String READ_BUFFER = "262144";

    static {
        if (System.getProperty("jdk.httpclient.bufsize") == null) {
            System.setProperty("jdk.httpclient.bufsize", READ_BUFFER);
        }
    }
    private final RegistrySettings settings;
    private final WritableRepositories writable;
    private final HttpClient http;
    private final TransferCounters counters = new TransferCounters();
    /** One client per registry host, the least recently used dropped past a bound (callers may name many hosts). */
    private final Map<String, RegistryEndpointCaller> callers = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, RegistryEndpointCaller> eldest) {
                    return size() > MAX_CALLERS;
                }
            });

    public ImageStores(RegistrySettings settings) {
        this(settings, WritableRepositories.ANY);
    }

    public ImageStores(RegistrySettings settings, WritableRepositories writable) {
        this.settings = settings;
        this.writable = writable;
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(httpExecutor())
                .connectTimeout(settings.connectTimeout()).followRedirects(HttpClient.Redirect.NEVER);
        if (settings.hostPolicy().isService()) {
            // through a JVM-wide proxy the service would never see the address it reaches, and could not check it
            builder.proxy(HttpClient.Builder.NO_PROXY);
        }
        this.http = builder.build();
    }

    /**
     * The JDK client's default executor, but with named threads that end after 5 s idle instead of 60 s: after a
     * burst the service returns to its resting thread count quickly (the load test checks that).
     */
    private static ExecutorService httpExecutor() {
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 5, TimeUnit.SECONDS, new SynchronousQueue<>(),
                Thread.ofPlatform().name("recast-http-", 1).daemon().factory());
    }

    public TransferCounters counters() {
        return counters;
    }

    public RegistrySettings settings() {
        return settings;
    }

    /** Refuses, before anything moves, a target this service may not write to. */
    public void checkWritable(ImageReference target) {
        if (target instanceof RegistryReference registry) {
            settings.hostPolicy().checkRegistry(registry.registry());
            writable.check(registry.registry(), registry.repository());
        }
    }

    @Override
    public ImageStore open(ImageReference reference) {
        return switch (reference) {
            case LayoutReference layout -> new OciLayoutStore(layout.directory(), settings.manifestLimit());
            case RegistryReference registry -> {
                settings.hostPolicy().checkRegistry(registry.registry());
                yield new RegistryStore(caller(registry.registry()), registry.repository(), writable);
            }
        };
    }

    public RegistryEndpointCaller caller(String registry) {
        return callers.computeIfAbsent(registry, host -> new RegistryEndpointCaller(host, settings, http, counters));
    }

    @Override
    public void close() {
        http.close();
    }
}
