package dev.recast.service;

import dev.recast.convert.ConversionReport;
import dev.recast.convert.ImageReport;
import dev.recast.convert.LayerAction;
import dev.recast.convert.LayerReport;
import dev.recast.index.IndexReport;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Locale;

/**
 * The service's Prometheus metrics (at /q/metrics). Histograms have a few buckets chosen for what they measure
 * (a conversion takes from a fraction of a second to half an hour), not Micrometer's ~280 generic ones.
 */
@ApplicationScoped
public class ServiceMetrics {
    private static final Duration[] DURATION_BUCKETS = {Duration.ofMillis(100), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofMinutes(1),
            Duration.ofMinutes(5), Duration.ofMinutes(30)};
    /** Recompressed size / source size: below 1 saves space. */
    private static final double[] RATIO_BUCKETS = {0.25, 0.5, 0.75, 0.9, 1.0, 1.1};
    private final MeterRegistry registry;
    private final DistributionSummary compressionRatio;
    private final Timer duration;

    public ServiceMetrics(MeterRegistry registry, ConversionSlots slots) {
        this.registry = registry;
        this.compressionRatio = DistributionSummary.builder("recast.layer.compression.ratio")
                .description("recompressed layer size / source layer size").serviceLevelObjectives(RATIO_BUCKETS)
                .register(registry);
        this.duration = Timer.builder("recast.conversion.duration").description("time per conversion or index build")
                .serviceLevelObjectives(DURATION_BUCKETS).register(registry);
        registry.gauge("recast.conversions.in.flight", slots, ConversionSlots::inUse);
    }

    /** A conversion's outcome (a dry run's is {@code planned}), time, bytes and compression ratios. */
    public void finished(String kind, ConversionReport report) {
        outcome(kind, report.outcome().name());
        duration.record(Duration.ofMillis(report.millis()));
        bytes(report.totals());
        for (ImageReport image : report.images()) {
            for (LayerReport layer : image.layers()) {
                if (layer.action() == LayerAction.RECOMPRESSED && layer.sourceSize() > 0) {
                    compressionRatio.record((double) layer.targetSize() / layer.sourceSize());
                }
            }
        }
    }

    /** An index build: {@code converted}, or {@code planned} for a dry run, with its time and bytes. */
    public void finished(IndexReport report) {
        outcome("index", report.dryRun() ? ConversionReport.Outcome.PLANNED.name() : ConversionReport.Outcome.CONVERTED.name());
        duration.record(Duration.ofMillis(report.millis()));
        bytes(report.totals());
    }

    public void bytes(ConversionReport.Totals totals) {
        if (totals != null) {
            registry.counter("recast.bytes.read").increment(totals.bytesRead());
            registry.counter("recast.bytes.written").increment(totals.bytesWritten());
        }
    }

    public void outcome(String kind, String outcome) {
        registry.counter("recast.conversions", "kind", kind, "outcome", outcome.toLowerCase(Locale.ROOT)).increment();
    }
}
