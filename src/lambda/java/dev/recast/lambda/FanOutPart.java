package dev.recast.lambda;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;
import java.util.Map;

/**
 * One SQS message of a fan-out: convert one platform's image into its part tag, then, when every part is there,
 * convert the whole list reusing them. All references are pinned: {@code source} and {@code wholeSource} by digest.
 * Read and written by Jackson, hence registered for reflection in the native Lambda (which is built with this code;
 * {@code native-config/} serves the build without it).
 *
 * @param parts every part of the fan-out: source image digest → the part tag it is converted into
 */
@RegisterForReflection
public record FanOutPart(String source, String target, String wholeSource, String wholeTarget, String compression,
                         Integer level, List<String> platforms, Map<String, String> parts) {
}
