package dev.recast.lambda;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local endpoint that answers as the AWS JSON APIs do (X-Amz-Target dispatch), for ECR's GetAuthorizationToken
 * and Secrets Manager's GetSecretValue. AWS itself is unreachable here.
 */
final class FakeAws implements AutoCloseable {
    private final HttpServer server;
    final List<String> calls = new CopyOnWriteArrayList<>();

    FakeAws(Map<String, String> answers) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            calls.add(target + " " + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String answer = answers.get(target);
            byte[] body = (answer == null ? "{\"__type\":\"UnknownOperationException\"}" : answer).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(answer == null ? 400 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
