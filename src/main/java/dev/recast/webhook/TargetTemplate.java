package dev.recast.webhook;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.registry.reference.RegistryReference;

import java.util.Arrays;
import java.util.Map;

/**
 * A rule's target template, split into host, repository and tag before any placeholder is filled, so that a pushed
 * value (a repository such as {@code 127.0.0.1:5000/x}) can never choose the host Recast writes to. The host is the
 * template's own (a literal first segment that reads as a host), or the pushed registry (no host, or
 * {@code {registry}}); placeholders fill only the repository and the tag.
 *
 * @param host       the template's host, or null for the pushed registry
 * @param repository the repository part, with placeholders
 * @param tag        the tag part, with placeholders
 */
record TargetTemplate(String host, String repository, String tag) {
    private static final String PUSHED_REGISTRY = "{registry}";

    static TargetTemplate parse(String template) {
        if (template.contains("@")) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "webhook target template '" + template
                    + "' names a digest: a target is a tag");
        }
        String local = template;
        String host = null;
        int slash = template.indexOf('/');
        if (slash > 0) {
            String first = template.substring(0, slash);
            if (first.equals(PUSHED_REGISTRY)) {
                local = template.substring(slash + 1);
            } else if (!first.contains("{") && looksLikeHost(first)) {
                // normalised as any reference's host is (docker.io is registry-1.docker.io)
                host = RegistryReference.parse(template.substring(0, slash) + "/probe").registry();
                local = template.substring(slash + 1);
            }
        }
        int colon = local.lastIndexOf(':');
        if (colon > local.lastIndexOf('/')) {
            return new TargetTemplate(host, local.substring(0, colon), local.substring(colon + 1));
        }
        return new TargetTemplate(host, local, "latest");
    }

    /**
     * Fills the repository and tag parts and returns the target; refuses (BAD_REQUEST) a filled value that would
     * name another host, climb with {@code ..}, or not read back as the same image.
     */
    RegistryReference fill(String pushedRegistry, Map<String, String> vars) {
        String filledRepository = WebhookRule.fill(repository, vars);
        String filledTag = WebhookRule.fill(tag, vars);
        String[] segments = filledRepository.split("/", -1);
        if (Arrays.asList(segments).contains("..")) {
            throw refused(filledRepository, "has a '..' path segment");
        }
        if (host == null && looksLikeHost(segments[0])) {
            // "{repository}:{tag}" read as an image name would go to this host: never let a pushed name pick one
            throw refused(filledRepository, "starts with '" + segments[0] + "', which reads as a registry host");
        }
        RegistryReference target;
        try {
            target = new RegistryReference(host != null ? host : pushedRegistry, filledRepository, filledTag, null);
        } catch (RecastException e) {
            throw refused(filledRepository, "is not a valid target: " + e.detail());
        }
        RegistryReference readBack = RegistryReference.parse(target.toString());
        if (!readBack.registry().equals(target.registry()) || !readBack.repository().equals(target.repository())) {
            throw refused(filledRepository, "reads back as " + readBack);
        }
        return target;
    }

    private RecastException refused(String filledRepository, String why) {
        return new RecastException(ErrorKind.BAD_REQUEST, "webhook target repository '" + filledRepository
                + "' (from '" + repository + "') " + why);
    }

    /** The test the Docker reference grammar uses for "this first segment is a host". */
    private static boolean looksLikeHost(String segment) {
        return segment.contains(".") || segment.contains(":") || segment.equals("localhost") || segment.startsWith("[");
    }
}
