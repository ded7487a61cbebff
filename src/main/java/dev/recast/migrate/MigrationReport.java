package dev.recast.migrate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The outcome of a migration, per repository and in total, with every image's result.
 *
 * @param excluded tags not taken because their manifest is one Recast wrote
 */
public record MigrationReport(String registry, boolean dryRun, List<RepositoryTotals> repositories,
                              MigrationTotals totals, List<ImageResult> images, List<ImageResult> excluded,
                              long millis) {

    /** One repository's totals. */
    public record RepositoryTotals(String repository, MigrationTotals totals) {
    }

    static MigrationReport of(String registry, boolean dryRun, List<ImageResult> results, long millis) {
        List<ImageResult> images = new ArrayList<>();
        List<ImageResult> excluded = new ArrayList<>();
        for (ImageResult result : results) {
            (result.status() == ImageResult.Status.EXCLUDED ? excluded : images).add(result);
        }
        Comparator<ImageResult> byName = Comparator.comparing(ImageResult::repository).thenComparing(ImageResult::tag);
        images.sort(byName);
        excluded.sort(byName);
        Map<String, List<ImageResult>> byRepository = new TreeMap<>();
        images.forEach(image -> byRepository.computeIfAbsent(image.repository(), r -> new ArrayList<>()).add(image));
        List<RepositoryTotals> repositories = byRepository.entrySet().stream()
                .map(e -> new RepositoryTotals(e.getKey(), MigrationTotals.of(e.getValue()))).toList();
        return new MigrationReport(registry, dryRun, repositories, MigrationTotals.of(images), List.copyOf(images),
                List.copyOf(excluded), millis);
    }

    /** The images that failed, with their causes. */
    public List<ImageResult> failures() {
        return images.stream().filter(i -> i.status() == ImageResult.Status.FAILED).toList();
    }
}
