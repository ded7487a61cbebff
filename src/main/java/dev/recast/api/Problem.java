package dev.recast.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem detail, with the image and layer a failure concerns.
 *
 * @param type a stable URN per kind of problem, e.g. {@code urn:recast:problem:not-found}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String image, String layer) {
    public static final String MEDIA_TYPE = "application/problem+json";
}
