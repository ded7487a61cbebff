package dev.recast.migrate;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.convert.ConversionOptions;
import dev.recast.service.EngineBuilder;
import dev.recast.service.TargetTemplate;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SourceFilterTest {
    private static final String REGISTRY = "reg.example:5000";

    private static SourceFilter filter(List<String> globs, String tag, Integer latest, String target) {
        MigrationRequest request = new MigrationRequest(REGISTRY, globs, tag == null ? null : Pattern.compile(tag),
                latest, target, null, 2, 5, ConversionOptions.DEFAULT);
        return new SourceFilter(request, TargetTemplate.parse(request.target()));
    }

    @Test
    void neverTakesTheDefaultTargetsOutputsOrTheLayerCache() {
        SourceFilter all = filter(List.of(), null, null, null);
        assertEquals(List.of("v1", "v2"), all.tags("team/app", List.of("v1-oci", "v2", "v1", "v2-oci")));
        assertFalse(all.takesRepository(EngineBuilder.DEFAULT_CACHE_REPOSITORY));
        assertFalse(all.takesRepository(EngineBuilder.DEFAULT_CACHE_REPOSITORY + "/layers"));
        assertTrue(all.takesRepository("recast-cached-not"));
    }

    @Test
    void aCatastrophicallyBacktrackingTagPatternIsRefusedNamingThePatternInsteadOfHoldingTheCpu() {
        SourceFilter hostile = filter(List.of(), "(.*a){20}$", null, null);
        String tag = "a".repeat(40) + "!";
        RecastException refused = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(RecastException.class, () -> hostile.tags("team/app", List.of("v1", tag))));
        assertEquals(ErrorKind.BAD_REQUEST, refused.kind());
        assertTrue(refused.getMessage().contains("(.*a){20}$"), refused.getMessage());
        // a sane pattern still matches, groups and all
        assertEquals(List.of("v1.2"), filter(List.of(), "v(?<major>\\d+)\\.\\d+", null, null)
                .tags("team/app", List.of("v1.2", "v1", "x1.2")));
    }

    @Test
    void neverTakesReferrerTags() {
        String hex = "a".repeat(64);
        SourceFilter all = filter(List.of(), null, null, null);
        assertEquals(List.of("sha256-abc", "v1"), all.tags("team/app", List.of("sha256-" + hex, "sha256-" + hex + ".sig",
                "sha256-" + hex + ".att", "sha256-" + hex + ".sbom", "v1", "sha256-abc")));
    }

    @Test
    void theOutputShapeFollowsTheTemplate() {
        SourceFilter converted = filter(List.of(), null, null, "converted/{repository}:{tag}-z");
        assertEquals(List.of("v1", "v1-oci"), converted.tags("team/app", List.of("v1", "v1-oci")));
        assertEquals(List.of("v1"), converted.tags("converted/team/app", List.of("v1", "v1-z")));
        // written to another registry: nothing here has its shape; in place: the annotation tells outputs apart
        assertEquals(List.of("a-z"), filter(List.of(), null, null, "mirror.example/{repository}:{tag}-z").tags("x", List.of("a-z")));
        assertEquals(List.of("v1"), filter(List.of(), null, null, "{repository}:{tag}").tags("x", List.of("v1")));
    }

    @Test
    void globsTagPatternAndLatestInVersionOrder() {
        SourceFilter chosen = filter(List.of("team/*", "solo"), "v\\d+(\\.\\d+)*", 2, null);
        assertTrue(chosen.takesRepository("team/app"));
        assertTrue(chosen.takesRepository("solo"));
        assertFalse(chosen.takesRepository("team/app/sub"));
        assertFalse(chosen.takesRepository("other"));
        assertEquals(List.of("v9.1", "v10.0"), chosen.tags("team/app", List.of("v10.0", "latest", "v2", "v9.1", "v9")));
    }

    @Test
    void theRegistryIsAHostWithoutARepository() {
        assertEquals("127.0.0.1:5000", MigrationRequest.registryHost("docker://127.0.0.1:5000"));
        assertEquals("127.0.0.1:5000", MigrationRequest.registryHost("127.0.0.1:5000/"));
        assertEquals("registry-1.docker.io", MigrationRequest.registryHost("docker.io"));
        assertThrows(dev.recast.RecastException.class, () -> MigrationRequest.registryHost("127.0.0.1:5000/team/app"));
    }

    @Test
    void totalsCountSkipsAndSavingsButNotExcludedTags() {
        List<ImageResult> results = List.of(
                new ImageResult("a", "v1", ImageResult.Status.CONVERTED, null, "a:v1-oci", null, 2, 1, 0, 1000, 600, 5, null, null),
                ImageResult.without("a", "v2", ImageResult.Status.ALREADY_CONVERTED, null, "a:v2-oci", null, null),
                ImageResult.without("a", "x", ImageResult.Status.EXCLUDED, null, null, null, "written by Recast"),
                ImageResult.without("b", "v1", ImageResult.Status.FAILED, null, "b:v1-oci", dev.recast.ErrorKind.UPSTREAM, "boom"));
        MigrationReport report = MigrationReport.of(REGISTRY, false, results, 7);
        assertEquals(new MigrationTotals(3, 1, 1, 0, 1, 2, 1, 0, 1000, 600, 40.0), report.totals());
        assertEquals(List.of("a", "b"), report.repositories().stream().map(MigrationReport.RepositoryTotals::repository).toList());
        assertEquals(1, report.excluded().size());
        assertEquals("boom", report.failures().getFirst().note());
    }
}
