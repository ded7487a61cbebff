package dev.recast.migrate;

import dev.recast.convert.Cancellation;
import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.service.ConversionService;
import dev.recast.service.ConversionSlots;
import dev.recast.service.MigrationRequestBody;
import dev.recast.service.RecastEngine;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Migrations as the service runs them, the one door for REST and the Lambda (it sits here, above {@code service}, so
 * that the package graph stays acyclic): request bodies checked against the service's policy and defaults, whole
 * migrations in a conversion slot, one image at a time for fan-out workers, and the results those record.
 */
@ApplicationScoped
public class MigrationService {
    /** Images one request may convert at once; each is a conversion with its own layer workers. */
    public static final int MOST_CONCURRENT = 16;
    private static final Logger LOG = Logger.getLogger(MigrationService.class);
    private final ConversionService conversions;
    private final RecastEngine engine;

    public MigrationService(ConversionService conversions, RecastEngine engine) {
        this.conversions = conversions;
        this.engine = engine;
    }

    /** A request body as a migration, with the service's defaults; a registry the service may not contact is refused. */
    public MigrationRequest request(MigrationRequestBody body) {
        if (body == null || body.registry() == null || body.registry().isBlank()) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "'registry' is required");
        }
        String registry = MigrationRequest.registryHost(body.registry());
        conversions.checkRegistry(registry);
        int concurrency = body.concurrency() == null ? 2 : body.concurrency();
        if (concurrency > MOST_CONCURRENT) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "'concurrency' is at most " + MOST_CONCURRENT + " (got "
                    + concurrency + ")");
        }
        return new MigrationRequest(registry, body.repositories() == null ? List.of() : body.repositories(),
                tagPattern(body.tag()), body.latest(), body.target(), body.repositoryList(), concurrency,
                body.pageSize() == null ? 100 : body.pageSize(),
                conversions.options(body.compression(), body.level(), body.platforms(), body.dryRun()));
    }

    /** Runs a whole migration in a slot the caller holds (claimed before a progress stream opens). */
    public MigrationReport runInSlot(MigrationRequest request, Consumer<ImageResult> finished) {
        MigrationReport report = new Migration(engine.engine()).run(request, result -> {
            log(result);
            finished.accept(result);
        });
        LOG.infof("migration registry=%s dry_run=%s images=%d converted=%d skipped=%d failed=%d ms=%d",
                report.registry(), report.dryRun(), report.totals().images(), report.totals().converted(),
                report.totals().skipped(), report.totals().failed(), report.millis());
        return report;
    }

    /**
     * Migrates one tag in a slot of its own: a fan-out worker's message. {@code cancellation} stops it (e.g. before
     * the Lambda invocation's timeout), and the result is then FAILED with the cause, not lost.
     */
    public ImageResult migrate(MigrationRequest request, String repository, String tag, Cancellation cancellation) {
        try (ConversionSlots.Slot ignored = conversions.claimSlot()) {
            ImageResult result = new Migration(engine.engine()).migrate(request, repository, tag, cancellation);
            log(result);
            return result;
        }
    }

    /** Where fanned-out migrations record their plans and results: the registry they migrate. */
    public MigrationResults results() {
        return new MigrationResults(engine.stores());
    }

    private static void log(ImageResult result) {
        LOG.infof("migration image=%s:%s status=%s source_digest=%s target=%s kind=%s note=%s", result.repository(),
                result.tag(), result.status(), result.sourceDigest(), result.target(), result.errorKind(), result.note());
    }

    private static Pattern tagPattern(String regex) {
        try {
            return regex == null ? null : Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "'tag' is not a regular expression: " + e.getDescription());
        }
    }
}
