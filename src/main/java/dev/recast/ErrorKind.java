package dev.recast;

/** What kind of failure a {@link RecastException} is; each adapter maps these to its own codes. */
public enum ErrorKind {
    /** A reference, option or request that can never work as written. */
    BAD_REQUEST,
    /** The image, tag or blob does not exist. */
    NOT_FOUND,
    /** Content whose bytes do not match the digest or size that names them. */
    DIGEST_MISMATCH,
    /** Content that is not a valid manifest, index, config or layer. */
    INVALID_IMAGE,
    /** Media types or layers Recast will not convert. */
    UNSUPPORTED,
    /** Two inputs that cannot both hold, such as duplicate platforms. */
    CONFLICT,
    /** Over a configured size or ratio limit. */
    TOO_LARGE,
    /** A registry refused the credentials (401/403). */
    UPSTREAM_AUTH,
    /** A registry failed or could not be reached. */
    UPSTREAM,
    /** Local storage failed. */
    IO,
    /** The service is at its concurrency limit: try again later. */
    BUSY,
    /** A policy of this service refuses it: a host Recast may not contact, a target it may not write. */
    FORBIDDEN
}
