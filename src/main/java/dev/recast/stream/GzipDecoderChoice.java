package dev.recast.stream;

import org.jboss.logging.Logger;


/**
 * Chooses the process's gzip decoder once: ISA-L's inflate (about twice zlib's speed) when the runtime is Java 22+
 * (it is called through the FFM API), {@code libisal.so.2} loads, its version is one whose structure layout the
 * bindings were checked against, and a self-test on a known multi-member vector passes; else the JDK's, silently but
 * for one log line. {@code recast.inflate=jdk} (system property, or {@code RECAST_INFLATE}) forces the JDK's;
 * {@code recast.isal.library} (or {@code RECAST_ISAL_LIBRARY}) names another library file to load.
 */
public final class GzipDecoderChoice {
    private static final Logger LOG = Logger.getLogger(GzipDecoderChoice.class);
    /** Compiled for Java 22 (see {@link NativeBindings}). */
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
        return NativeBindings.load("ISA-L", ISAL_CLASS,
                binding -> (GzipDecoder) binding.getConstructor(String.class).newInstance(library));
    }

    private static GzipDecoder choose() {
        String wanted = NativeBindings.setting("recast.inflate", "RECAST_INFLATE", "auto");
        if (wanted.equals("jdk")) {
            LOG.info("gzip layers are inflated by the JDK (recast.inflate=jdk)");
            return JdkGzipDecoder.INSTANCE;
        }
        if (!wanted.equals("auto") && !wanted.equals("isal")) {
            LOG.warnf("recast.inflate=%s is neither auto, isal nor jdk: choosing as for auto", wanted);
        }
        String library = NativeBindings.setting("recast.isal.library", "RECAST_ISAL_LIBRARY", DEFAULT_LIBRARY);
        try {
            GzipDecoder isal = isal(library);
            LOG.debugf("gzip layers are inflated by %s", isal);
            return isal;
        } catch (UnsupportedOperationException e) {
            LOG.infof("gzip layers are inflated by the JDK: ISA-L is not used (%s)", e.getMessage());
            return JdkGzipDecoder.INSTANCE;
        }
    }
}
