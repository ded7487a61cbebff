package dev.recast.registry.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recast.registry.reference.RegistryReference;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Credentials from a Docker {@code config.json}: {@code auths} entries ({@code auth} or {@code identitytoken}),
 * and {@code credHelpers} / {@code credsStore}, which run {@code docker-credential-NAME get} with the host on stdin.
 */
public final class DockerConfigCredentials implements CredentialSource {
    private static final Logger LOG = Logger.getLogger(DockerConfigCredentials.class);
    private static final String DOCKER_HUB_KEY = "https://index.docker.io/v1/";
    private final Path file;

    public DockerConfigCredentials(Path file) {
        this.file = file;
    }

    /** {@code $DOCKER_CONFIG/config.json}, else {@code ~/.docker/config.json}. */
    public static DockerConfigCredentials defaultLocation() {
        String dir = System.getenv("DOCKER_CONFIG");
        Path base = dir != null && !dir.isBlank() ? Path.of(dir) : Path.of(System.getProperty("user.home"), ".docker");
        return new DockerConfigCredentials(base.resolve("config.json"));
    }

    @Override
    public Optional<Credentials> lookup(String registry) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        JsonNode config;
        try {
            config = new ObjectMapper().readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            LOG.warnf("ignoring unreadable %s: %s", file, e.getClass().getSimpleName());
            return Optional.empty();
        }
        List<String> keys = keysFor(registry);
        for (String key : keys) {
            String helper = config.path("credHelpers").path(key).asText(null);
            if (helper != null) {
                return runHelper(helper, key);
            }
        }
        for (String key : keys) {
            JsonNode entry = findAuth(config.path("auths"), key);
            if (entry != null) {
                Optional<Credentials> found = fromAuthEntry(entry);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        String store = config.path("credsStore").asText(null);
        if (store != null) {
            return runHelper(store, keys.getFirst());
        }
        return Optional.empty();
    }

    private static List<String> keysFor(String registry) {
        if (registry.equals(RegistryReference.DOCKER_HUB)) {
            return List.of(DOCKER_HUB_KEY, "docker.io", "index.docker.io", RegistryReference.DOCKER_HUB);
        }
        return List.of(registry);
    }

    /** An {@code auths} key may be a bare host or a URL such as {@code https://host/v2/}. */
    private static JsonNode findAuth(JsonNode auths, String key) {
        if (auths.has(key)) {
            return auths.get(key);
        }
        var names = auths.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            String host = name.replaceFirst("^https?://", "");
            int slash = host.indexOf('/');
            if ((slash < 0 ? host : host.substring(0, slash)).equals(key)) {
                return auths.get(name);
            }
        }
        return null;
    }

    private static Optional<Credentials> fromAuthEntry(JsonNode entry) {
        String identityToken = entry.path("identitytoken").asText("");
        String auth = entry.path("auth").asText("");
        String user = entry.path("username").asText("");
        String password = entry.path("password").asText("");
        if (!auth.isEmpty()) {
            String decoded = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon > 0) {
                user = decoded.substring(0, colon);
                password = decoded.substring(colon + 1);
            }
        }
        if (!identityToken.isEmpty()) {
            return Optional.of(new Credentials(user.isEmpty() ? "<token>" : user, identityToken, true));
        }
        if (!user.isEmpty()) {
            return Optional.of(Credentials.basic(user, password));
        }
        return Optional.empty();
    }

    private static Optional<Credentials> runHelper(String helper, String serverUrl) {
        String command = "docker-credential-" + helper;
        try {
            Process process = new ProcessBuilder(command, "get").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.write(serverUrl.getBytes(StandardCharsets.UTF_8));
            }
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                LOG.debugf("%s found no credentials for %s", command, serverUrl);
                return Optional.empty();
            }
            JsonNode json = new ObjectMapper().readTree(out);
            String user = json.path("Username").asText("");
            String secret = json.path("Secret").asText("");
            if (secret.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Credentials(user, secret, user.equals("<token>")));
        } catch (IOException e) {
            LOG.debugf("credential helper %s is not available: %s", command, e.getClass().getSimpleName());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
