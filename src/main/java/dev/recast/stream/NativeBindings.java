package dev.recast.stream;

import java.lang.reflect.InvocationTargetException;

/**
 * What the choices of a native library's binding over the JDK's own code share ({@link GzipDecoderChoice},
 * {@link HasherChoice}): the setting that forces one, and loading the binding, a class compiled for Java 22 from
 * src/main/java22 (so only named, never linked from Java 21 code).
 */
final class NativeBindings {
    private NativeBindings() {
    }

    /** How a binding class is made once loaded (its constructor, or a static factory). */
    @FunctionalInterface
    interface Maker<T> {
        T make(Class<?> binding) throws ReflectiveOperationException;
    }

    /**
     * The binding made from class {@code className}.
     *
     * @param library what the binding calls, as the refusal on an older Java names it (e.g. "ISA-L")
     * @throws UnsupportedOperationException saying why it cannot be used here
     */
    static <T> T load(String library, String className, Maker<T> maker) {
        if (Runtime.version().feature() < 22) {
            throw new UnsupportedOperationException(library + " is called through the FFM API, which needs Java 22+ "
                    + "(this is " + Runtime.version().feature() + ")");
        }
        try {
            return maker.make(Class.forName(className));
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw new UnsupportedOperationException(cause.getMessage(), cause);
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new UnsupportedOperationException("cannot load " + className + ": " + e, e);
        }
    }

    /** A JVM system property, else an environment variable, else {@code fallback}; blank counts as unset. */
    static String setting(String property, String environment, String fallback) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(environment);
        }
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
