package dev.recast.testing;

import io.quarkus.test.common.http.TestHTTPResource;
import io.restassured.RestAssured;
import org.junit.jupiter.api.BeforeEach;

import java.net.URL;

/** For @QuarkusTest classes calling the HTTP API with rest-assured. */
public abstract class HttpServerTest {

    /** With the Lambda extension, Quarkus aims rest-assured at the mock Lambda event server: aim it at HTTP. */
    @TestHTTPResource("/")
    URL http;

    @BeforeEach
    void useHttpServer() {
        RestAssured.port = http.getPort();
    }
}
