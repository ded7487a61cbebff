package dev.recast.testing;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A host a hostile registry points Recast at (an internal service, a token realm): it answers every request with one
 * status and one header, and records what it received, so a test can show it got no request, or no credentials.
 */
public final class RecordingServer implements AutoCloseable {
    /** One request as received: method, path and the Authorization header ("none" when absent). */
    public record Received(String method, String path, String authorization) {
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    public RecordingServer(int status, String header, String value) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            try (exchange) {
                String authorization = exchange.getRequestHeaders().getFirst("Authorization");
                received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                        authorization == null ? "none" : authorization));
                exchange.getRequestBody().readAllBytes();
                if (header != null) {
                    exchange.getResponseHeaders().add(header, value);
                }
                exchange.sendResponseHeaders(status, -1);
            }
        });
        server.start();
    }

    public String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
