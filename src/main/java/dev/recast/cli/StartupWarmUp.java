package dev.recast.cli;

import javax.net.ssl.SSLContext;
import java.security.NoSuchAlgorithmException;

/**
 * Starts, on a second core, the one slow initialisation every registry command waits for: the JDK's default TLS
 * context (it loads and parses the trust store, even for plain-HTTP registries, because the HTTP client builds it
 * when it is created). Meanwhile the main thread parses arguments and builds the engine; the AOT cache's training run
 * goes through here too, so these classes are in the cache.
 */
final class StartupWarmUp {
    private StartupWarmUp() {
    }

    static void start() {
        Thread.ofPlatform().daemon().name("recast-warm-up").start(() -> {
            try {
                SSLContext.getDefault();
            } catch (NoSuchAlgorithmException ignored) {
                // the HTTP client reports it when it needs TLS
            }
        });
    }
}
