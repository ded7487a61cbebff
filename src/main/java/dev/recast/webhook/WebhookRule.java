package dev.recast.webhook;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.recast.convert.ReferrersMode;
import dev.recast.model.PathGlob;
import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.service.TargetTemplate;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a push does: when its registry (glob), repository (glob: {@code *} one path segment, {@code **} any) and tag
 * (regex) match, {@code convert} writes the converted twin and/or {@code index} groups per-arch tags into an index.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record WebhookRule(String registry, String repository, String tag, Convert convert, IndexGroup index) {

    /**
     * @param target      a template such as {@code {repository}:{tag}-oci}, or with a host for another registry
     *                    ({@code registry.example.com/mirror/{repository}:{tag}}); placeholders: registry,
     *                    repository, tag and the tag pattern's named groups. The host is the template's, never a
     *                    placeholder's value (see {@link TargetTemplate})
     * @param inPlace     allow the target to be the pushed tag itself (replaces it with the converted image)
     * @param referrers   {@code copy} (default), {@code report} or {@code skip}: the pushed image's SBOMs and attestations
     */
    public record Convert(String target, String compression, Integer level, Boolean inPlace, String referrers) {

        public Convert(String target, String compression, Integer level, Boolean inPlace) {
            this(target, compression, level, inPlace, null);
        }
    }

    /**
     * @param group     a regex over the tag with named groups {@code version} and {@code arch},
     *                  e.g. {@code (?<version>.+)-(?<arch>amd64|arm64)}
     * @param target    e.g. {@code {repository}:{version}}
     * @param platforms the arch values that must all exist before the index is built
     * @param convert   convert the children to OCI + zstd in the index
     */
    public record IndexGroup(String group, String target, List<String> platforms, Boolean convert) {
    }

    /** The rule when none is configured: every tag of every repository converted to {@code target}. */
    public static WebhookRule convertingTo(String target) {
        return new WebhookRule("*", "**", ".+", new Convert(target, null, null, false), null);
    }

    public WebhookRule {
        registry = registry == null ? "*" : registry;
        repository = repository == null ? "**" : repository;
        tag = tag == null ? ".+" : tag;
        if (convert == null && index == null) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "a webhook rule needs 'convert' and/or 'index'");
        }
        if (convert != null && (convert.target() == null || convert.target().isBlank())) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "a webhook rule's convert needs a 'target' template");
        }
        if (convert != null) {
            ReferrersMode.parse(convert.referrers()); // a wrong value fails when the rules are read, not at each push
        }
        if (index != null && (index.group() == null || index.target() == null || index.platforms() == null
                || index.platforms().isEmpty() || !index.group().contains("(?<arch>"))) {
            throw new RecastException(ErrorKind.BAD_REQUEST,
                    "a webhook rule's index needs 'group' (with a named group 'arch'), 'target' and 'platforms'");
        }
        // a malformed template fails when the rules are read, not at each push
        for (String target : new String[]{convert == null ? null : convert.target(), index == null ? null : index.target()}) {
            if (target != null && TargetTemplate.parse(target).host() != null && registry.contains("*")) {
                // otherwise a payload naming any registry would have its image written into this one
                throw new RecastException(ErrorKind.BAD_REQUEST, "a webhook rule that writes to another registry ("
                        + target + ") must name the registry it takes pushes from in 'registry', without '*'");
            }
        }
    }

    public boolean matches(PushEvent event) {
        return event.tag() != null && glob(registry, false).matcher(event.registry()).matches()
                && glob(repository, true).matcher(event.repository()).matches()
                && Pattern.compile(tag).matcher(event.tag()).matches();
    }

    /** The tag's named groups (from the tag pattern) with registry, repository and tag. */
    public Map<String, String> variables(PushEvent event) {
        return TargetTemplate.variables(Pattern.compile(tag), event.registry(), event.repository(), event.tag());
    }

    private static Pattern glob(String glob, boolean pathAware) {
        return PathGlob.compile(glob, pathAware);
    }
}
