package dev.recast.cli;

import com.github.luben.zstd.util.Native;
import dev.recast.stream.GzipDecoder;
import dev.recast.stream.HasherChoice;

import javax.net.ssl.SSLContext;
import java.security.NoSuchAlgorithmException;

/**
 * Starts, on other cores, the slow initialisations every registry command waits for: the JDK's default TLS context
 * (it loads and parses the trust store, even for plain-HTTP registries, because the HTTP client builds it when it is
 * created), and the native codecs the first layer needs (ISA-L's and OpenSSL's FFM linking and self-tests, zstd-jni's
 * library), which took a tiny image's layers from about 100 to 60 ms each. Meanwhile the main thread parses arguments,
 * builds the engine and reads the manifest; the AOT cache's training run goes through here too, so these classes are
 * in the cache.
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
        Thread.ofPlatform().daemon().name("recast-warm-up-codecs").start(() -> {
            GzipDecoder.chosen();
            HasherChoice.chosen();
            Native.load();
        });
    }
}
