package dev.recast.convert;

import dev.recast.ErrorKind;
import dev.recast.RecastException;

import java.util.Locale;

/** How the gzip variant of a variants index is written. */
public enum VariantsFormat {
    /** The source manifest itself, byte for byte: digest pins and signatures on it keep working. */
    SOURCE,
    /** An OCI manifest naming the same gzip blobs and config bytes, for clients that want nothing but OCI. */
    OCI;

    /** {@code source} or {@code oci}; null: {@link #SOURCE}. */
    public static VariantsFormat parse(String text) {
        if (text == null) {
            return SOURCE;
        }
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "unknown variants format '" + text
                    + "': expected source or oci");
        }
    }
}
