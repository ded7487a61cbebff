package dev.recast.migrate;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.convert.Cancellation;
import dev.recast.registry.http.RegistryListing;
import dev.recast.service.Engine;
import dev.recast.service.TargetTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Migrates a registry: lists the source tags (every page), then migrates {@code concurrency} images at once through
 * the engine, and reports. Nothing is kept but what the registry holds, so a rerun does only what is left.
 */
public final class Migration {
    private final Engine engine;

    public Migration(Engine engine) {
        this.engine = engine;
    }

    public MigrationReport run(MigrationRequest request) {
        return run(request, result -> {
        });
    }

    /** As {@link #run(MigrationRequest)}, telling {@code finished} each image's result as soon as it is known. */
    public MigrationReport run(MigrationRequest request, Consumer<ImageResult> finished) {
        long started = System.nanoTime();
        engine.stores().settings().hostPolicy().checkRegistry(request.registry());
        TargetTemplate template = TargetTemplate.parse(request.target());
        RegistryListing listing = RegistryListing.of(engine.stores().caller(request.registry()), request.pageSize());
        List<SourceTags.SourceTag> sources = new SourceTags(request.registry(), listing,
                new SourceFilter(request, template))
                .list(request.listed());
        ImageMigration images = new ImageMigration(engine.stores(), engine.converter(), request, template);
        List<ImageResult> results = new ArrayList<>();
        // a listener that fails (a streaming client gone) stops the migration: no further image is started
        AtomicBoolean stopped = new AtomicBoolean();
        try (ExecutorService pool = Executors.newFixedThreadPool(request.concurrency(),
                Thread.ofPlatform().name("recast-migrate-", 1).daemon().factory())) {
            List<Future<ImageResult>> running = sources.stream().map(s -> pool.submit(() -> {
                if (stopped.get()) {
                    return null;
                }
                ImageResult result = images.migrate(s);
                try {
                    finished.accept(result);
                } catch (RuntimeException e) {
                    stopped.set(true);
                    throw e;
                }
                return result;
            })).toList();
            for (Future<ImageResult> result : running) {
                results.add(result.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RecastException(ErrorKind.IO, "the migration of " + request.registry() + " was interrupted", e);
        } catch (ExecutionException e) {
            // ImageMigration turns every RecastException into a FAILED result: anything else is a bug, not a cause
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
        return MigrationReport.of(request.registry(), request.options().dryRun(), results,
                (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * Migrates one listed tag as {@link #run} would (a fan-out worker's share of a migration planned elsewhere),
     * stopped by {@code cancellation} as well as by the conversion timeout.
     */
    public ImageResult migrate(MigrationRequest request, String repository, String tag, Cancellation cancellation) {
        engine.stores().settings().hostPolicy().checkRegistry(request.registry());
        return new ImageMigration(engine.stores(), engine.converter(), request, TargetTemplate.parse(request.target()))
                .migrate(new SourceTags.SourceTag(repository, tag), cancellation);
    }
}
