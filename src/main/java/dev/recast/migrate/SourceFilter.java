package dev.recast.migrate;

import dev.recast.model.PathGlob;
import dev.recast.registry.referrers.ReferrerTags;
import dev.recast.service.EngineBuilder;
import dev.recast.service.TargetTemplate;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which repositories and tags a migration takes, by name alone: the user's globs and tag pattern, never the layer
 * cache, never a tag with the shape of what the target template writes (Recast's own outputs), never a referrers tag
 * ({@code sha256-<hex>} fallback indexes, cosign's {@code .sig/.att/.sbom}: they belong to an image), the latest N.
 * The tag pattern is the caller's: each match is bounded in time (REST and CLI alike).
 */
final class SourceFilter {
    private static final Pattern NUMBER_OR_TEXT = Pattern.compile("\\d+|\\D+");
    /** Tags in version order: runs of digits compare as numbers, the rest as text. */
    static final Comparator<String> VERSION_ORDER = SourceFilter::compareVersions;

    private final List<Pattern> repositories;
    private final Pattern tag;
    private final Integer latest;
    /** Recast's own outputs in this registry: the template's shapes, compiled once per migration. */
    private final BiPredicate<String, String> output;

    SourceFilter(MigrationRequest request, TargetTemplate template) {
        this.repositories = request.repositories().stream().map(glob -> PathGlob.compile(glob, true)).toList();
        this.tag = request.tag();
        this.latest = request.latest();
        this.output = template.writesIn(request.registry());
    }

    boolean takesRepository(String repository) {
        if (repository.equals(EngineBuilder.DEFAULT_CACHE_REPOSITORY) || repository.startsWith(EngineBuilder.DEFAULT_CACHE_REPOSITORY + "/")) {
            return false;
        }
        return repositories.isEmpty() || repositories.stream().anyMatch(glob -> glob.matcher(repository).matches());
    }

    /** The tags of {@code repository} to convert, in version order. */
    List<String> tags(String repository, List<String> all) {
        List<String> taken = new ArrayList<>();
        for (String name : all) {
            if ((tag == null || DeadlineText.matches(tag, name)) && !output.test(repository, name)
                    && !ReferrerTags.isReferrerTag(name)) {
                taken.add(name);
            }
        }
        taken.sort(VERSION_ORDER);
        return latest == null || taken.size() <= latest ? taken : taken.subList(taken.size() - latest, taken.size());
    }

    private static int compareVersions(String a, String b) {
        Matcher left = NUMBER_OR_TEXT.matcher(a);
        Matcher right = NUMBER_OR_TEXT.matcher(b);
        while (left.find() && right.find()) {
            String x = left.group();
            String y = right.group();
            boolean numbers = Character.isDigit(x.charAt(0)) && Character.isDigit(y.charAt(0));
            int order = numbers ? new BigInteger(x).compareTo(new BigInteger(y)) : x.compareTo(y);
            if (order != 0) {
                return order;
            }
        }
        return Integer.compare(a.length(), b.length()) != 0 ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
    }
}
