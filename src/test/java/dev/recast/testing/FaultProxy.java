package dev.recast.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.recast.registry.http.CredentialSource;
import dev.recast.registry.http.HostPolicy;
import dev.recast.registry.http.RegistrySettings;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A real HTTP proxy in front of a lab registry that injects the faults a registry cannot produce on demand: error
 * statuses (with Retry-After), connections cut in the middle of a body, stalls, and bodies whose bytes are changed.
 * Faults are scripted: "the Nth request matching METHOD and PATH gets FAULT".
 */
public final class FaultProxy implements AutoCloseable {
    private static final Set<String> SKIPPED_HEADERS = Set.of("connection", "content-length", "transfer-encoding", "host",
            "keep-alive", "upgrade", "expect", "date");

    /** What to do to a matching request. */
    public sealed interface Fault {
        /** Answer with this status without asking the registry. */
        record Status(int code, String retryAfter) implements Fault {
        }

        /** Forward, then cut the connection after this many bytes of the response body. */
        record CutBody(int afterBytes) implements Fault {
        }

        /** Wait this long before forwarding. */
        record Stall(long millis) implements Fault {
        }

        /** Read this many bytes of the request body, then drop the connection (an upload reset mid-blob). */
        record CutRequest(int afterBytes) implements Fault {
        }

        /** Forward, send the headers and this many bytes of the body, then go silent for this long. */
        record StallBody(int afterBytes, long millis) implements Fault {
        }

        /** Forward, but flip one byte in the middle of the response body. */
        record Corrupt() implements Fault {
        }

        /** Forward the request, then answer this status (the registry did the work, the answer is lost). */
        record LoseAnswer(int code) implements Fault {
        }

        /**
         * Answer 307 to "storage" at {@value STORAGE} on this proxy (as {@code localhost}, another host name), which
         * serves the same path with the proxy's own credentials for the registry, as object storage would.
         */
        record RedirectToStorage() implements Fault {
        }

        /** Answer this status with one header (a challenge, a redirect) without asking the registry: a lying registry. */
        record Answer(int code, String header, String value) implements Fault {
        }

        /** Forward, then point the answer's Location at another host (an upload session "elsewhere"). */
        record MoveLocation(String toHost) implements Fault {
        }

        /**
         * Without asking the registry, refuse as distribution does, with an error body naming this code (e.g. 400
         * DIGEST_INVALID, what it answers when two writers race on the same links, distribution#2077).
         */
        record RegistryError(int status, String code) implements Fault {
        }
    }

    public static final String STORAGE = "/_storage";

    private record Rule(String method, Pattern path, int from, int to, Fault fault, AtomicInteger seen) {
    }

    private final HttpServer server;
    private final String upstream;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final AtomicInteger injected = new AtomicInteger();
    private final String storageAuthorization;
    private final List<String> storageRequestAuthorizations = new CopyOnWriteArrayList<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<Answered> answered = new CopyOnWriteArrayList<>();

    /** One request and the status it was answered with (-1: the connection closed without an answer). */
    public record Answered(String request, int status) {
    }

    public FaultProxy(String upstreamHost) {
        this(upstreamHost, null);
    }

    /** @param storageAuthorization what the storage path sends upstream (the registry's credentials), or null */
    public FaultProxy(String upstreamHost, String storageAuthorization) {
        this.upstream = upstreamHost;
        this.storageAuthorization = storageAuthorization;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    public String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * Settings for talking to the registry through this proxy, anonymously, with timeouts and backoff short enough
     * that stalls and retries take seconds: 5 MiB chunks, 4 attempts from 50 ms, connect 5 s, headers 3 s, a body
     * read 2 s, 1 MiB/s.
     */
    public RegistrySettings quickSettings() {
        return new RegistrySettings(Set.of(host()), CredentialSource.none(), RegistrySettings.MIN_CHUNK, 4L << 20, 4,
                Duration.ofMillis(50), Duration.ofSeconds(5), Duration.ofSeconds(3), Duration.ofSeconds(2), 1 << 20,
                HostPolicy.permissive(), 0);
    }

    /**
     * The {@code from}-th to {@code to}-th requests (1-based) matching method and the regex (found in path and query)
     * get the fault.
     */
    public FaultProxy on(String method, String pathRegex, int from, int to, Fault fault) {
        rules.add(new Rule(method, Pattern.compile(pathRegex), from, to, fault, new AtomicInteger()));
        return this;
    }

    public FaultProxy once(String method, String pathRegex, Fault fault) {
        return on(method, pathRegex, 1, 1, fault);
    }

    public FaultProxy always(String method, String pathRegex, Fault fault) {
        return on(method, pathRegex, 1, Integer.MAX_VALUE, fault);
    }

    /** The Authorization header (or "none") of every request that reached the storage path. */
    public List<String> storageRequestAuthorizations() {
        return List.copyOf(storageRequestAuthorizations);
    }

    /** Every request received so far, as {@code METHOD path?query}, in order. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    /** Every request answered so far with its status, in the order the answers went out. */
    public List<Answered> answered() {
        return List.copyOf(answered);
    }

    /**
     * The requests starting with {@code prefix} (as {@code METHOD path}) that were answered with 2xx, from the
     * {@code from}-th answer on, in the order of their answers. Any other answer to them must be a 400: the refusal
     * of a racing writer (distribution#2077) that Recast sends again.
     */
    public List<String> acceptedSince(int from, String prefix) {
        List<Answered> all = answered();
        List<Answered> matching = all.subList(from, all.size()).stream()
                .filter(a -> a.request().startsWith(prefix)).toList();
        matching.stream().filter(a -> a.status() / 100 != 2).forEach(a -> {
            if (a.status() != 400) {
                throw new AssertionError("only a racing writer's refusal (400) may be sent again: " + matching);
            }
        });
        return matching.stream().filter(a -> a.status() / 100 == 2).map(Answered::request).toList();
    }

    /** How many faults were injected so far. */
    public int injected() {
        return injected.get();
    }

    private Fault faultFor(HttpExchange exchange) {
        String path = exchange.getRequestURI().toString();
        for (Rule rule : rules) {
            if (rule.method().equals(exchange.getRequestMethod()) && rule.path().matcher(path).find()) {
                int n = rule.seen().incrementAndGet();
                if (n >= rule.from() && n <= rule.to()) {
                    injected.incrementAndGet();
                    return rule.fault();
                }
            }
        }
        return null;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String request = exchange.getRequestMethod() + " " + exchange.getRequestURI();
        try (exchange) {
            requests.add(request);
            boolean storage = exchange.getRequestURI().getPath().startsWith(STORAGE);
            if (storage) {
                String given = exchange.getRequestHeaders().getFirst("Authorization");
                storageRequestAuthorizations.add(given == null ? "none" : given);
            }
            Fault fault = storage ? null : faultFor(exchange);
            if (fault instanceof Fault.RedirectToStorage) {
                exchange.getResponseHeaders().add("Location", "http://localhost:" + server.getAddress().getPort()
                        + STORAGE + exchange.getRequestURI());
                send(exchange, request, 307, -1);
                return;
            }
            if (fault instanceof Fault.Answer answer) {
                exchange.getRequestBody().readAllBytes();
                exchange.getResponseHeaders().add(answer.header(), answer.value());
                send(exchange, request, answer.code(), -1);
                return;
            }
            if (fault instanceof Fault.RegistryError refusal) {
                exchange.getRequestBody().readAllBytes();
                byte[] body = ("{\"errors\":[{\"code\":\"" + refusal.code() + "\",\"message\":\"injected by the "
                        + "fault proxy\"}]}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                send(exchange, request, refusal.status(), body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
                return;
            }
            if (fault instanceof Fault.Status status) {
                exchange.getRequestBody().readAllBytes();
                if (status.retryAfter() != null) {
                    exchange.getResponseHeaders().add("Retry-After", status.retryAfter());
                }
                send(exchange, request, status.code(), -1);
                return;
            }
            if (fault instanceof Fault.CutRequest cut) {
                exchange.getRequestBody().readNBytes(cut.afterBytes());
                throw new IOException("fault: request cut after " + cut.afterBytes() + " bytes");
            }
            if (fault instanceof Fault.Stall stall) {
                sleep(stall.millis());
            }
            HttpResponse<InputStream> response = forward(exchange);
            if (fault instanceof Fault.LoseAnswer lost) {
                response.body().close();
                send(exchange, request, lost.code(), -1);
                return;
            }
            response.headers().map().forEach((name, values) -> {
                if (!SKIPPED_HEADERS.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                    String to = fault instanceof Fault.MoveLocation move && name.equalsIgnoreCase("Location")
                            ? move.toHost() : host();
                    values.forEach(v -> exchange.getResponseHeaders().add(name, absolute(v).replace("http://" + upstream, "http://" + to)));
                }
            });
            byte[] body = response.body().readAllBytes();
            boolean head = exchange.getRequestMethod().equals("HEAD");
            long declared = response.headers().firstValueAsLong("Content-Length").orElse(body.length);
            if (head || body.length == 0) {
                if (head && declared > 0) {
                    exchange.getResponseHeaders().add("Content-Length", String.valueOf(declared));
                }
                send(exchange, request, response.statusCode(), -1);
                return;
            }
            if (fault instanceof Fault.Corrupt) {
                body[body.length / 2] ^= 0x40;
            }
            send(exchange, request, response.statusCode(), body.length);
            OutputStream out = exchange.getResponseBody();
            if (fault instanceof Fault.StallBody stall) {
                out.write(body, 0, Math.min(stall.afterBytes(), body.length));
                out.flush();
                sleep(stall.millis());
                out.write(body, Math.min(stall.afterBytes(), body.length), Math.max(0, body.length - stall.afterBytes()));
                return;
            }
            if (fault instanceof Fault.CutBody cut) {
                out.write(body, 0, Math.min(cut.afterBytes(), body.length));
                out.flush();
                // closing the connection short of Content-Length: the client sees the body end early
                throw new IOException("fault: body cut after " + cut.afterBytes() + " bytes");
            }
            out.write(body);
        } catch (IOException e) {
            if (exchange.getResponseCode() == -1) {
                answered.add(new Answered(request, -1));
            }
            exchange.close();
        }
    }

    /** Logs the answer before it leaves, so that a client that has it finds it in {@link #answered()}. */
    private void send(HttpExchange exchange, String request, int status, long length) throws IOException {
        answered.add(new Answered(request, status));
        exchange.sendResponseHeaders(status, length);
    }

    /** Registries may answer a path-only Location: make it absolute on the upstream, so it can be pointed anywhere. */
    private String absolute(String value) {
        return value.startsWith("/v2/") ? "http://" + upstream + value : value;
    }

    private HttpResponse<InputStream> forward(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String path = exchange.getRequestURI().toString();
        boolean storage = path.startsWith(STORAGE);
        URI uri = URI.create("http://" + upstream + (storage ? path.substring(STORAGE.length()) : path));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).method(exchange.getRequestMethod(),
                body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!SKIPPED_HEADERS.contains(name.toLowerCase(Locale.ROOT)) && !(storage && name.equalsIgnoreCase("Authorization"))) {
                values.forEach(v -> request.header(name, v));
            }
        });
        if (storage && storageAuthorization != null) {
            request.header("Authorization", storageAuthorization);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
