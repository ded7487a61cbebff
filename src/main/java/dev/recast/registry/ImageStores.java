package dev.recast.registry;

import java.net.http.HttpClient;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Opens the store each kind of reference lives in. Registry stores of one host share a {@link RegistryClient}
 * (connections, tokens); all share one set of {@link TransferCounters}.
 */
public final class ImageStores implements StoreFactory, AutoCloseable {
    private final RegistrySettings settings;
    private final HttpClient http;
    private final TransferCounters counters = new TransferCounters();
    private final Map<String, RegistryClient> clients = new ConcurrentHashMap<>();

    public ImageStores(RegistrySettings settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(httpExecutor())
                .connectTimeout(settings.connectTimeout()).followRedirects(HttpClient.Redirect.NEVER).build();
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

    @Override
    public ImageStore open(ImageReference reference) {
        return switch (reference) {
            case LayoutReference layout -> new OciLayoutStore(layout.directory(), settings.manifestLimit());
            case RegistryReference registry -> {
                settings.hostPolicy().checkRegistry(registry.registry());
                yield new RegistryStore(client(registry.registry()), registry.repository());
            }
        };
    }

    public RegistryClient client(String registry) {
        return clients.computeIfAbsent(registry, host -> new RegistryClient(host, settings, http, counters));
    }

    @Override
    public void close() {
        http.close();
    }
}
