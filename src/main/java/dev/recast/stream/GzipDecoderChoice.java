package dev.recast.stream;

import org.jboss.logging.Logger;

import java.lang.reflect.InvocationTargetException;

/**
 * Chooses the process's gzip decoder once: ISA-L's inflate (about twice zlib's speed) when the runtime is Java 22+
 * (it is called through the FFM API), {@code libisal.so.2} loads, its version is one whose structure layout the
 * bindings were checked against, and a self-test on a known multi-member vector passes; else the JDK's, silently but
 * for one log line. {@code recast.inflate=jdk} (system property, or {@code RECAST_INFLATE}) forces the JDK's;
 * {@code recast.isal.library} (or {@code RECAST_ISAL_LIBRARY}) names another library file to load.
 */
public final class GzipDecoderChoice {
    private static final Logger LOG = Logger.getLogger(GzipDecoderChoice.class);
    /** Compiled for Java 22 from src/main/java22, so only named here, never linked from Java 21 code. */
    private static final String ISAL_CLASS = "dev.recast.stream.IsalGzipDecoder";
    private static final String DEFAULT_LIBRARY = "libisal.so.2";

    static final GzipDecoder CHOSEN = choose();

    private GzipDecoderChoice() {
    }

    /**
     * The ISA-L decoder over {@code library}, loaded, version-checked and self-tested now.
     *
     * @throws UnsupportedOperationException saying why it cannot be used here
     */
    public static GzipDecoder isal(String library) {
        if (Runtime.version().feature() < 22) {
            throw new UnsupportedOperationException("ISA-L is called through the FFM API, which needs Java 22+ (this is "
                    + Runtime.version().feature() + ")");
        }
        try {
            return (GzipDecoder) Class.forName(ISAL_CLASS).getConstructor(String.class).newInstance(library);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw new UnsupportedOperationException(cause.getMessage(), cause);
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new UnsupportedOperationException("cannot load " + ISAL_CLASS + ": " + e, e);
        }
    }

    private static GzipDecoder choose() {
        String wanted = setting("recast.inflate", "RECAST_INFLATE", "auto");
        if (wanted.equals("jdk")) {
            LOG.info("gzip layers are inflated by the JDK (recast.inflate=jdk)");
            return JdkGzipDecoder.INSTANCE;
        }
        if (!wanted.equals("auto") && !wanted.equals("isal")) {
            LOG.warnf("recast.inflate=%s is neither auto, isal nor jdk: choosing as for auto", wanted);
        }
        String library = setting("recast.isal.library", "RECAST_ISAL_LIBRARY", DEFAULT_LIBRARY);
        try {
            GzipDecoder isal = isal(library);
            LOG.debugf("gzip layers are inflated by %s", isal);
            return isal;
        } catch (UnsupportedOperationException e) {
            LOG.infof("gzip layers are inflated by the JDK: ISA-L is not used (%s)", e.getMessage());
            return JdkGzipDecoder.INSTANCE;
        }
    }

    private static String setting(String property, String environment, String fallback) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(environment);
        }
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
