package dev.recast.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packaged service's defaults, as an operator meets them: no token, no service; anonymous means loopback only. */
class ServeDefaultsIT {

    @Test
    void serveWithoutATokenDoesNotStart(@TempDir Path tmp) throws Exception {
        Path log = tmp.resolve("serve.log");
        PackagedService service = PackagedService.launch(log);
        assertTrue(service.process().waitFor(60, TimeUnit.SECONDS), "the service exited by itself");
        assertTrue(service.process().exitValue() != 0, "with a failure exit code");
        String output = Files.readString(log);
        assertTrue(output.contains("recast.api.token") && output.contains("recast.api.anonymous"),
                "the message names the settings: " + output);
    }

    @Test
    void anonymousServeListensOnLoopbackOnlyAndAnswersOnlyLoopbackHosts(@TempDir Path tmp) throws Exception {
        // even when the operator asks for every interface, anonymous mode keeps to loopback
        PackagedService service = PackagedService.start(tmp.resolve("serve.log"), "recast.api.anonymous=true",
                "quarkus.http.host=0.0.0.0");
        try {
            assertEquals(List.of("127.0.0.1"), listeningAddresses(service.port()), "bound to 127.0.0.1 only");
            assertEquals(400, images(service, "localhost:" + service.port(), "").statusCode(),
                    "a loopback Host reaches the API (and the malformed reference gets its 400)");
            assertEquals(400, images(service, "127.0.0.1:" + service.port(), "Origin: http://127.0.0.1:"
                    + service.port() + "\r\n").statusCode());
            Answer rebound = images(service, "attacker.example:" + service.port(), "");
            assertEquals(403, rebound.statusCode(), "a page's DNS-rebound name is refused");
            assertTrue(rebound.body().contains("loopback"), rebound.body());
            Answer fromAPage = images(service, "127.0.0.1:" + service.port(), "Origin: https://attacker.example\r\n");
            assertEquals(403, fromAPage.statusCode(), "a request a web page sends is refused");
            assertEquals(403, images(service, "localhost:" + service.port(), "Sec-Fetch-Site: cross-site\r\n").statusCode());
        } finally {
            service.stop();
        }
    }

    private static Answer images(PackagedService service, String host, String moreHeaders) throws Exception {
        // the JDK client only lets a caller set Host with this property, so a raw socket keeps the test honest
        try (Socket socket = new Socket("127.0.0.1", service.port())) {
            socket.getOutputStream().write(("GET /v1/images?ref=NOT%20A%20REF HTTP/1.1\r\nHost: " + host
                    + "\r\n" + moreHeaders + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(answer.substring(9, 12));
            String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
            return new Answer(status, body);
        }
    }

    /** The local addresses of the sockets listening on {@code port}, from /proc/net/tcp and tcp6. */
    private static List<String> listeningAddresses(int port) throws Exception {
        String hexPort = String.format(Locale.ROOT, "%04X", port);
        List<String> found = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines = Files.readAllLines(Path.of(table));
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.trim().split("\\s+");
                String[] local = fields[1].split(":");
                if (local[1].equals(hexPort) && fields[3].equals("0A")) {
                    found.add(decode(local[0]));
                }
            }
        }
        assertFalse(found.isEmpty(), "something listens on " + port);
        return found;
    }

    private static String decode(String hex) {
        if (hex.length() == 32 && hex.startsWith("0000000000000000FFFF0000")) {
            return decode(hex.substring(24)); // an IPv4-mapped IPv6 socket
        }
        if (hex.length() != 8) {
            return hex.equals("00000000000000000000000000000000") ? "::" : hex;
        }
        long value = Long.parseLong(hex, 16);
        return (value & 0xff) + "." + ((value >> 8) & 0xff) + "." + ((value >> 16) & 0xff) + "." + ((value >> 24) & 0xff);
    }

    /** A status and body read off the wire. */
    private record Answer(int statusCode, String body) {
    }
}
