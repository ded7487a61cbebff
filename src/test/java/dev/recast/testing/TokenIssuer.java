package dev.recast.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Docker token service for tests: CNCF distribution with {@code auth: token} sends clients here, and this issues
 * RS256 JWTs signed with a test key whose self-signed certificate the registry trusts ({@code x5c} header).
 * User {@value USER} / {@value PASSWORD} gets what it asks for; anyone else gets 401.
 */
public final class TokenIssuer {
    public static final String USER = "tok";
    public static final String PASSWORD = "tok-secret";
    static final String SERVICE = "recast-test-registry";
    static final String ISSUER = "recast-test-issuer";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final PrivateKey key;
    private final byte[] certificate;
    private final AtomicInteger tokensIssued = new AtomicInteger();

    private TokenIssuer(HttpServer server, PrivateKey key, byte[] certificate) {
        this.server = server;
        this.key = key;
        this.certificate = certificate;
    }

    /** Makes a key and certificate in {@code dir} (with the JDK's keytool) and serves tokens on a free port. */
    public static TokenIssuer start(Path dir) {
        try {
            Files.createDirectories(dir);
            Path store = dir.resolve("token.p12");
            Files.deleteIfExists(store);
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            ExternalTools.check(keytool, "-genkeypair", "-alias", "token", "-keyalg", "RSA", "-keysize", "2048",
                    "-dname", "CN=recast-test-token", "-validity", "3", "-storetype", "PKCS12",
                    "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit");
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                keyStore.load(in, "changeit".toCharArray());
            }
            PrivateKey key = (PrivateKey) keyStore.getKey("token", "changeit".toCharArray());
            Certificate cert = keyStore.getCertificate("token");
            Files.writeString(dir.resolve("cert.pem"), "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(cert.getEncoded())
                    + "\n-----END CERTIFICATE-----\n");
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            TokenIssuer issuer = new TokenIssuer(server, key, cert.getEncoded());
            server.createContext("/token", issuer::handle);
            server.start();
            return issuer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String realm() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    public int tokensIssued() {
        return tokensIssued.get();
    }

    /** A distribution config that trusts this issuer. */
    public String registryConfig(int port, Path storage) {
        return """
                version: 0.1
                log: {level: info, formatter: text}
                storage:
                  filesystem: {rootdirectory: %s}
                  delete: {enabled: true}
                  maintenance: {uploadpurging: {enabled: false}}
                http:
                  addr: 127.0.0.1:%d
                  secret: token-lab
                auth:
                  token:
                    realm: %s
                    service: %s
                    issuer: %s
                    rootcertbundle: %s
                """.formatted(storage, port, realm(), SERVICE, ISSUER, storage.getParent().resolve("cert.pem"));
    }

    private void handle(HttpExchange exchange) throws IOException {
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        String expected = "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        if (!expected.equals(auth)) {
            exchange.sendResponseHeaders(401, -1);
            exchange.close();
            return;
        }
        List<String> scopes = new ArrayList<>();
        String query = exchange.getRequestURI().getRawQuery();
        for (String pair : query == null ? new String[0] : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals("scope")) {
                scopes.add(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        byte[] body = JSON.writeValueAsBytes(JSON.createObjectNode().put("token", sign(scopes)).put("expires_in", 300));
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
        tokensIssued.incrementAndGet();
    }

    private String sign(List<String> scopes) {
        long now = System.currentTimeMillis() / 1000;
        ObjectNode header = JSON.createObjectNode().put("alg", "RS256").put("typ", "JWT");
        header.putArray("x5c").add(Base64.getEncoder().encodeToString(certificate));
        ObjectNode claims = JSON.createObjectNode().put("iss", ISSUER).put("sub", USER).put("aud", SERVICE)
                .put("exp", now + 300).put("nbf", now - 10).put("iat", now).put("jti", UUID.randomUUID().toString());
        ArrayNode access = claims.putArray("access");
        for (String scope : scopes) {
            String[] parts = scope.split(":");
            if (parts.length == 3) {
                ObjectNode entry = access.addObject().put("type", parts[0]).put("name", parts[1]);
                ArrayNode actions = entry.putArray("actions");
                for (String action : parts[2].split(",")) {
                    actions.add(action);
                }
            }
        }
        try {
            Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
            String signingInput = url.encodeToString(JSON.writeValueAsBytes(header)) + "."
                    + url.encodeToString(JSON.writeValueAsBytes(claims));
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + url.encodeToString(signature.sign());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
