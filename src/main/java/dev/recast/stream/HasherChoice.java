package dev.recast.stream;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.recast.model.Digest;
import org.jboss.logging.Logger;

import java.lang.management.ManagementFactory;
import java.util.function.Supplier;

/**
 * Chooses the process's SHA-256 once: OpenSSL's ({@code libcrypto.so.3}, whose {@code EVP_Digest*} calls are stable
 * across OpenSSL 3) when the runtime is Java 22+ (it is called through the FFM API), the library loads and a
 * self-test against the JDK's SHA-256 passes; else the JDK's, with one log line saying why. The JDK's SHA-256 is as
 * fast only once the JIT's optimising compiler has compiled it: until then, and always when a process runs without
 * that compiler, it runs at a tenth of the speed. {@code recast.sha256=jdk} (system property, or
 * {@code RECAST_SHA256}) forces the JDK's; {@code recast.openssl.library} (or {@code RECAST_OPENSSL_LIBRARY}) names
 * another library file to load.
 */
public final class HasherChoice {
    private static final Logger LOG = Logger.getLogger(HasherChoice.class);
    /** Compiled for Java 22 (see {@link NativeBindings}). */
    private static final String OPENSSL_CLASS = "dev.recast.stream.OpenSslSha256";
    private static final String DEFAULT_LIBRARY = "libcrypto.so.3";

    static final Supplier<Hasher> CHOSEN = choose();

    private HasherChoice() {
    }

    /** {@code openssl} or {@code jdk}: whose SHA-256 this process uses. */
    public static String chosen() {
        return CHOSEN instanceof NamedSupplier named ? named.name() : "jdk";
    }

    /**
     * SHA-256 from the OpenSSL library {@code library}, loaded and self-tested now.
     *
     * @throws UnsupportedOperationException saying why it cannot be used here
     */
    @SuppressWarnings("unchecked")
    public static Supplier<Hasher> openssl(String library) {
        return NativeBindings.load("OpenSSL", OPENSSL_CLASS,
                binding -> (Supplier<Hasher>) binding.getMethod("factory", String.class).invoke(null, library));
    }

    private static Supplier<Hasher> choose() {
        Supplier<Hasher> jdk = new NamedSupplier("jdk", () -> new JdkHasher(Digest.newMessageDigest("sha256")));
        String wanted = NativeBindings.setting("recast.sha256", "RECAST_SHA256", "auto");
        if (wanted.equals("jdk")) {
            usingTheJdks("recast.sha256=jdk");
            return jdk;
        }
        if (!wanted.equals("auto") && !wanted.equals("openssl")) {
            LOG.warnf("recast.sha256=%s is neither auto, openssl nor jdk: choosing as for auto", wanted);
        }
        String library = NativeBindings.setting("recast.openssl.library", "RECAST_OPENSSL_LIBRARY", DEFAULT_LIBRARY);
        try {
            Supplier<Hasher> openssl = openssl(library);
            LOG.debugf("SHA-256 is OpenSSL's (%s)", library);
            return new NamedSupplier("openssl", openssl);
        } catch (UnsupportedOperationException e) {
            usingTheJdks("OpenSSL's is not used: " + e.getMessage());
            return jdk;
        }
    }

    private static void usingTheJdks(String why) {
        if (withoutOptimisingCompiler()) {
            LOG.warnf("SHA-256 is the JDK's (%s), and this JVM runs without its optimising compiler (C2), where the "
                    + "JDK's SHA-256 is about ten times slower. Set RECAST_SHA256=jdk in the environment and ./recast "
                    + "keeps C2", why);
        } else {
            LOG.infof("SHA-256 is the JDK's (%s)", why);
        }
    }

    /** True when this JVM compiles with C1 alone (as ./recast runs commands when OpenSSL is there). */
    private static boolean withoutOptimisingCompiler() {
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return vm != null && Integer.parseInt(vm.getVMOption("TieredStopAtLevel").getValue()) < 4;
        } catch (RuntimeException | LinkageError e) {
            return false; // not a HotSpot JVM (a native binary): nothing to say
        }
    }

    private record NamedSupplier(String name, Supplier<Hasher> hashers) implements Supplier<Hasher> {
        @Override
        public Hasher get() {
            return hashers.get();
        }
    }
}
