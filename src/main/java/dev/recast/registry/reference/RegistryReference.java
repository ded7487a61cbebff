package dev.recast.registry.reference;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.model.Digest;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An image in a registry, {@code [docker://]HOST[:PORT]/REPO[:TAG][@DIGEST]}, normalised as Docker does:
 * {@code ubuntu} is {@code registry-1.docker.io/library/ubuntu:latest}. When both tag and digest are given the
 * digest is what is read.
 */
public record RegistryReference(String registry, String repository, String tag, Digest digest) implements ImageReference {
    public static final String DOCKER_HUB = "registry-1.docker.io";
    static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern HOST = Pattern.compile(
            "(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\\[[0-9A-Fa-f:.]+\\])(?::[0-9]{1,5})?");

    public RegistryReference {
        // host names are case-insensitive: one spelling, so that equal references compare equal (in-place detection,
        // host policy, writable repositories)
        registry = registry == null ? null : registry.toLowerCase(Locale.ROOT);
        if (registry == null || !HOST.matcher(registry).matches() || port(registry) > 65535) {
            throw bad(registry + "/" + repository, "invalid registry host '" + registry + "'");
        }
        if (repository == null || repository.length() > 255) {
            throw bad(registry + "/" + repository, "repository name missing or longer than 255 characters");
        }
        for (String component : repository.split("/", -1)) {
            if (!COMPONENT.matcher(component).matches()) {
                throw bad(registry + "/" + repository, "invalid repository name '" + repository
                        + "': lowercase letters, digits and separators (. _ __ -) between them, joined by /");
            }
        }
        if (tag != null && !TAG.matcher(tag).matches()) {
            throw bad(registry + "/" + repository + ":" + tag, "invalid tag '" + tag + "'");
        }
    }

    public static RegistryReference parse(String text) {
        String rest = text.startsWith("docker://") ? text.substring("docker://".length()) : text;
        if (rest.startsWith("//") || rest.isEmpty()) {
            throw bad(text, "expected HOST[:PORT]/REPOSITORY[:TAG][@DIGEST]");
        }
        Digest digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            try {
                digest = Digest.parse(rest.substring(at + 1));
            } catch (RecastException e) {
                throw bad(text, e.getMessage());
            }
            rest = rest.substring(0, at);
        }
        String tag = null;
        int lastSlash = rest.lastIndexOf('/');
        int colon = rest.lastIndexOf(':');
        if (colon > lastSlash) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw bad(text, "invalid tag '" + tag + "': tags are [A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
            }
        }
        String registry;
        String repository;
        int slash = rest.indexOf('/');
        String first = slash < 0 ? rest : rest.substring(0, slash);
        if (slash >= 0 && (first.contains(".") || first.contains(":") || first.equals("localhost") || first.startsWith("["))) {
            registry = first.toLowerCase(Locale.ROOT);
            repository = rest.substring(slash + 1);
        } else {
            registry = DOCKER_HUB;
            repository = rest;
        }
        if (registry.equals("docker.io") || registry.equals("index.docker.io")) {
            registry = DOCKER_HUB;
        }
        if (registry.equals(DOCKER_HUB) && !repository.contains("/")) {
            repository = "library/" + repository;
        }
        if (tag == null && digest == null) {
            tag = "latest";
        }
        return new RegistryReference(registry, repository, tag, digest);
    }

    @Override
    public String reference() {
        return digest != null ? digest.toString() : tag;
    }

    @Override
    public RegistryReference withTag(String newTag) {
        return new RegistryReference(registry, repository, newTag, null);
    }

    @Override
    public RegistryReference atDigest(Digest pinned) {
        return new RegistryReference(registry, repository, null, pinned);
    }

    @Override
    public String toString() {
        String text = registry + "/" + repository + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
        // a host such as "oci:5000" would read back as another transport: spell this one out then
        return ImageReference.OTHER_TRANSPORTS.stream().anyMatch(text::startsWith) ? "docker://" + text : text;
    }

    /** The port a HOST[:PORT] names, or 0. */
    private static int port(String registry) {
        int colon = registry.lastIndexOf(':');
        return colon < registry.lastIndexOf(']') || colon < 0 ? 0 : Integer.parseInt(registry.substring(colon + 1));
    }

    private static RecastException bad(String text, String why) {
        String shown = text.length() > 300 ? text.substring(0, 300) + "…" : text;
        return new RecastException(ErrorKind.BAD_REQUEST, "invalid image reference '" + shown + "': " + why);
    }
}
