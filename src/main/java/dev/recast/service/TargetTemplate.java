package dev.recast.service;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.registry.reference.RegistryReference;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A target template (a webhook rule's, a migration's), split into host, repository and tag before any placeholder is
 * filled, so that a pushed or listed value (a repository such as {@code 127.0.0.1:5000/x}) can never choose the host
 * Recast writes to. The host is the template's own (a literal first segment that reads as a host), or the source's
 * registry (no host, or {@code {registry}}); placeholders fill only the repository and the tag.
 *
 * @param host       the template's host, or null for the source's registry
 * @param repository the repository part, with placeholders
 * @param tag        the tag part, with placeholders
 */
public record TargetTemplate(String host, String repository, String tag) {
    private static final String SOURCE_REGISTRY = "{registry}";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{[A-Za-z]+}");

    public static TargetTemplate parse(String template) {
        if (template.contains("@")) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "target template '" + template
                    + "' names a digest: a target is a tag");
        }
        String local = template;
        String host = null;
        int slash = template.indexOf('/');
        if (slash > 0) {
            String first = template.substring(0, slash);
            if (first.equals(SOURCE_REGISTRY)) {
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
    public RegistryReference fill(String sourceRegistry, Map<String, String> vars) {
        String filledRepository = substitute(repository, vars);
        String filledTag = substitute(tag, vars);
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
            target = new RegistryReference(host != null ? host : sourceRegistry, filledRepository, filledTag, null);
        } catch (RecastException e) {
            throw refused(filledRepository, "is not a valid target: " + e.detail());
        }
        RegistryReference readBack = RegistryReference.parse(target.toString());
        if (!readBack.registry().equals(target.registry()) || !readBack.repository().equals(target.repository())) {
            throw refused(filledRepository, "reads back as " + readBack);
        }
        return target;
    }

    /**
     * Tells whether a repository and tag of {@code registry} have the shape of what this template writes there
     * (e.g. {@code *-oci} tags for {@code {repository}:{tag}-oci}), so that a migration never takes Recast's outputs
     * for sources; the shapes are compiled once. A template that writes every source back onto itself has no such
     * shape: always false.
     */
    public BiPredicate<String, String> writesIn(String registry) {
        if (host != null && !host.equals(registry) || isInPlace()) {
            return (repositoryName, tagName) -> false;
        }
        Pattern repositoryShape = shape(repository);
        Pattern tagShape = shape(tag);
        return (repositoryName, tagName) -> repositoryShape.matcher(repositoryName).matches()
                && tagShape.matcher(tagName).matches();
    }

    private boolean isInPlace() {
        return repository.equals("{repository}") && tag.equals("{tag}");
    }

    /**
     * The placeholders a push or a listed tag gives: the named groups {@code tagPattern} (null: none) matched in the
     * tag, then {@code registry}, {@code repository} and {@code tag}.
     */
    public static Map<String, String> variables(Pattern tagPattern, String registry, String repository, String tag) {
        Map<String, String> vars = new LinkedHashMap<>();
        if (tagPattern != null) {
            Matcher matcher = tagPattern.matcher(tag);
            if (matcher.matches()) {
                matcher.namedGroups().forEach((name, group) -> {
                    if (matcher.group(group) != null) {
                        vars.put(name, matcher.group(group));
                    }
                });
            }
        }
        vars.put("registry", registry);
        vars.put("repository", repository);
        vars.put("tag", tag);
        return vars;
    }

    /** The part with each placeholder as "one or more characters". */
    private static Pattern shape(String part) {
        StringBuilder regex = new StringBuilder();
        Matcher matcher = PLACEHOLDER.matcher(part);
        int from = 0;
        while (matcher.find()) {
            regex.append(Pattern.quote(part.substring(from, matcher.start()))).append(".+");
            from = matcher.end();
        }
        return Pattern.compile(regex.append(Pattern.quote(part.substring(from))).toString());
    }

    private static String substitute(String template, Map<String, String> vars) {
        String out = template;
        for (Map.Entry<String, String> var : vars.entrySet()) {
            out = out.replace("{" + var.getKey() + "}", var.getValue());
        }
        if (PLACEHOLDER.matcher(out).find()) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "target template '" + template
                    + "' has a placeholder this source does not give");
        }
        return out;
    }

    private RecastException refused(String filledRepository, String why) {
        return new RecastException(ErrorKind.BAD_REQUEST, "target repository '" + filledRepository
                + "' (from '" + repository + "') " + why);
    }

    /** The test the Docker reference grammar uses for "this first segment is a host". */
    private static boolean looksLikeHost(String segment) {
        return segment.contains(".") || segment.contains(":") || segment.equals("localhost") || segment.startsWith("[");
    }
}
