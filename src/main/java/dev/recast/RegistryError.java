package dev.recast;

import java.util.Locale;

/**
 * What a registry said when it refused a request: the HTTP status and, when the body was the distribution-spec JSON
 * ({@code {"errors":[{"code":…,"message":…}]}}), its first error code and message. Carried on a
 * {@link RecastException} so callers decide by code, never by text.
 *
 * @param message the registry's own message, or empty
 */
public record RegistryError(Code code, String message, int status) {

    /** The error codes of the OCI distribution spec; {@link #UNKNOWN} for any other code or a body without one. */
    public enum Code {
        BLOB_UNKNOWN, BLOB_UPLOAD_INVALID, BLOB_UPLOAD_UNKNOWN, DIGEST_INVALID, MANIFEST_BLOB_UNKNOWN,
        MANIFEST_INVALID, MANIFEST_UNKNOWN, NAME_INVALID, NAME_UNKNOWN, SIZE_INVALID, UNAUTHORIZED, DENIED,
        UNSUPPORTED, TOOMANYREQUESTS, UNKNOWN;

        /** The code a registry wrote, as it wrote it (any case); unknown codes are {@link #UNKNOWN}. */
        public static Code of(String text) {
            if (text == null || text.isBlank()) {
                return UNKNOWN;
            }
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException other) {
                return UNKNOWN;
            }
        }
    }

    public RegistryError {
        message = message == null ? "" : message;
    }

    public boolean is(Code wanted) {
        return code == wanted;
    }

    /**
     * A refusal of a manifest that only another writer caused: distribution verifies a manifest's references while
     * another writer may be rewriting the same link files (distribution/distribution#2077) and answers DIGEST_INVALID
     * or MANIFEST_BLOB_UNKNOWN for content that is in fact there. Worth sending again.
     */
    public boolean isRaceWithAnotherWriter() {
        return code == Code.DIGEST_INVALID || code == Code.MANIFEST_BLOB_UNKNOWN;
    }
}
