package dev.recast.migrate;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.model.Content;
import dev.recast.model.Descriptor;
import dev.recast.model.Digest;
import dev.recast.model.ImageManifest;
import dev.recast.model.Manifest;
import dev.recast.model.MediaType;
import dev.recast.registry.ImageStores;
import dev.recast.registry.http.RegistryListing;
import dev.recast.registry.reference.RegistryReference;
import dev.recast.registry.store.ImageStore;
import dev.recast.service.EngineBuilder;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A fanned-out migration's plan and its workers' results, kept in the registry it migrates, so that Recast stays
 * stateless and a summary can be assembled at any time, by anyone who can read the registry: one small OCI artifact
 * per image in {@code recast-cache/migrations/RUN} (under the layer cache, which no migration takes as a source),
 * tagged by a hash of the image's name. A retried image overwrites its tag: the last attempt is the one reported.
 */
public final class MigrationResults {
    static final String PLAN_TYPE = "application/vnd.dev.recast.migration-plan.v1+json";
    static final String RESULT_TYPE = "application/vnd.dev.recast.migration-result.v1+json";
    static final String PLAN_TAG = "plan";
    private static final String IMAGE_TAG_PREFIX = "image-";
    /** A plan of tens of thousands of images stays far below this; a larger blob is not read. */
    private static final long MOST_BYTES = 64L << 20;
    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ImageStores stores;

    MigrationResults(ImageStores stores) {
        this.stores = stores;
    }

    /** A new run's id: when it was planned, and enough randomness that two planners never share one. */
    public static String newRunId() {
        byte[] random = new byte[4];
        RANDOM.nextBytes(random);
        return LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-"
                + HexFormat.of().formatHex(random);
    }

    /** The repository that holds a run's plan and results. */
    public static String repository(String runId) {
        return EngineBuilder.DEFAULT_CACHE_REPOSITORY + "/migrations/" + runId;
    }

    /** Records what the planner found (a dry run's report): the summary's list of what to expect. */
    public void recordPlan(String runId, MigrationReport plan) {
        write(plan.registry(), runId, PLAN_TAG, PLAN_TYPE, plan);
    }

    /** Records one worker's result for its image, replacing an earlier attempt's. */
    public void record(String registry, String runId, ImageResult result) {
        write(registry, runId, imageTag(result.repository(), result.tag()), RESULT_TYPE, result);
    }

    /**
     * The run as far as it got: the plan's images with their recorded results; a planned image without one is still
     * PLANNED (queued, or being converted).
     */
    public MigrationSummary summary(String registry, String runId) {
        long started = System.nanoTime();
        MigrationReport plan = read(registry, runId, PLAN_TAG, PLAN_TYPE, MigrationReport.class).orElseThrow(() ->
                new RecastException(ErrorKind.NOT_FOUND, "registry " + registry + " holds no plan of migration run "
                        + runId + " (" + repository(runId) + ":" + PLAN_TAG + ")"));
        Map<String, ImageResult> recorded = new HashMap<>();
        for (String tag : RegistryListing.of(stores.caller(registry), 100).tags(repository(runId))) {
            if (tag.startsWith(IMAGE_TAG_PREFIX)) {
                read(registry, runId, tag, RESULT_TYPE, ImageResult.class)
                        .ifPresent(r -> recorded.put(imageTag(r.repository(), r.tag()), r));
            }
        }
        List<ImageResult> images = new ArrayList<>(plan.excluded());
        int pending = 0;
        for (ImageResult planned : plan.images()) {
            ImageResult result = recorded.remove(imageTag(planned.repository(), planned.tag()));
            boolean queued = planned.status() == ImageResult.Status.PLANNED;
            pending += queued && result == null ? 1 : 0;
            images.add(queued && result != null ? result : planned);
        }
        images.addAll(recorded.values());
        MigrationReport report = MigrationReport.of(registry, false, images, (System.nanoTime() - started) / 1_000_000);
        return new MigrationSummary(runId, report.totals().images() - pending, pending, pending == 0, report);
    }

    static String imageTag(String repository, String tag) {
        return IMAGE_TAG_PREFIX + Digest.sha256((repository + ":" + tag).getBytes(StandardCharsets.UTF_8)).hex()
                .substring(0, 40);
    }

    private void write(String registry, String runId, String tag, String artifactType, Object value) {
        RegistryReference reference = new RegistryReference(registry, repository(runId), tag, null);
        stores.checkWritable(reference);
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a migration record as JSON", e);
        }
        Descriptor blob = new Descriptor(MediaType.of(artifactType), Digest.sha256(json), json.length);
        try (ImageStore store = stores.open(reference)) {
            store.putIfAbsent(Content.OCI_EMPTY);
            store.putBlob(blob, new ByteArrayInputStream(json));
            store.tag(tag, Manifest.create(MediaType.OCI_MANIFEST, artifactType, Content.OCI_EMPTY.descriptor(), List.of(blob), null, Map.of())
                    .content());
        }
    }

    private <T> Optional<T> read(String registry, String runId, String tag, String artifactType, Class<T> type) {
        RegistryReference reference = new RegistryReference(registry, repository(runId), tag, null);
        try (ImageStore store = stores.open(reference)) {
            Optional<Content> manifest = store.findManifest(tag);
            if (manifest.isEmpty()) {
                return Optional.empty();
            }
            if (!(ImageManifest.parse(manifest.get()) instanceof Manifest record) || !artifactType.equals(record.artifactType())
                    || record.layers().size() != 1 || record.layers().getFirst().size() > MOST_BYTES) {
                throw new RecastException(ErrorKind.INVALID_IMAGE, reference + " is not a migration record of type "
                        + artifactType + " (one JSON layer of at most " + MOST_BYTES + " bytes)");
            }
            try (InputStream json = store.openBlob(record.layers().getFirst())) {
                return Optional.of(JSON.readValue(json, type));
            } catch (IOException e) {
                throw new RecastException(ErrorKind.INVALID_IMAGE, reference + " holds a migration record that is not "
                        + "valid JSON: " + e.getClass().getSimpleName(), e);
            }
        }
    }
}
