package dev.recast.testing;

import io.quarkus.test.common.http.TestHTTPResource;
import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.net.URL;

/**
 * For @QuarkusTest classes calling the HTTP API with rest-assured. Every request carries the test service's API token
 * unless it sets its own Authorization header; {@code given().noFilters()} sends none.
 */
public abstract class HttpServerTest {

    /** With the Lambda extension, Quarkus aims rest-assured at the mock Lambda event server: aim it at HTTP. */
    @TestHTTPResource("/")
    URL http;

    @BeforeEach
    void useHttpServer() {
        RestAssured.port = http.getPort();
        String authorization = "Bearer " + token();
        Filter withToken = (request, response, context) -> {
            if (!request.getHeaders().hasHeaderWithName("Authorization")) {
                request.header("Authorization", authorization);
            }
            return context.next(request, response);
        };
        RestAssured.replaceFiltersWith(withToken);
    }

    @AfterEach
    void forgetToken() {
        RestAssured.reset();
    }

    /** The token the service under test expects. */
    protected String token() {
        return LabServiceConfig.TOKEN;
    }
}
