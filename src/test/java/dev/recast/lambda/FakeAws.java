package dev.recast.lambda;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A local endpoint that answers as the AWS JSON APIs do (X-Amz-Target dispatch), for ECR's GetAuthorizationToken,
 * Secrets Manager's GetSecretValue and SQS's SendMessage. AWS itself is unreachable here.
 */
final class FakeAws implements AutoCloseable {
    private final HttpServer server;
    final List<String> calls = new CopyOnWriteArrayList<>();

    /** Answers each X-Amz-Target with a fixed body; other targets get 400. */
    static FakeAws answering(Map<String, String> answers) {
        return new FakeAws(answers.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> request -> e.getValue())));
    }

    /** @param handlers by X-Amz-Target: the answer to a request body */
    FakeAws(Map<String, Function<String, String>> handlers) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String request = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            calls.add(target + " " + request);
            Function<String, String> handler = handlers.get(target);
            String answer = handler == null ? null : handler.apply(request);
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
