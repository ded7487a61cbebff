package dev.recast.registry.http;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import javax.net.ssl.SSLSession;

/** A response whose body is a {@link TimedBody}; everything else is the JDK's response. */
record TimedResponse(HttpResponse<InputStream> response, InputStream body) implements HttpResponse<InputStream> {

    static HttpResponse<InputStream> of(HttpResponse<InputStream> response, String what, RegistrySettings settings) {
        long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        return new TimedResponse(response, new TimedBody(response.body(), what, settings.bodyIdleTimeout(),
                settings.bodyDeadline(length)));
    }

    @Override
    public int statusCode() {
        return response.statusCode();
    }

    @Override
    public HttpRequest request() {
        return response.request();
    }

    @Override
    public Optional<HttpResponse<InputStream>> previousResponse() {
        return response.previousResponse();
    }

    @Override
    public HttpHeaders headers() {
        return response.headers();
    }

    @Override
    public Optional<SSLSession> sslSession() {
        return response.sslSession();
    }

    @Override
    public URI uri() {
        return response.uri();
    }

    @Override
    public HttpClient.Version version() {
        return response.version();
    }
}
