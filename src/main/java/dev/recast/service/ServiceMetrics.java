package dev.recast.service;

import dev.recast.convert.ConversionReport;
import dev.recast.convert.ImageReport;
import dev.recast.convert.LayerAction;
import dev.recast.convert.LayerReport;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Locale;

/** The service's Prometheus metrics (at /q/metrics). */
@ApplicationScoped
public class ServiceMetrics {
    private final MeterRegistry registry;
    private final DistributionSummary compressionRatio;
    private final Timer duration;

    public ServiceMetrics(MeterRegistry registry, ConversionSlots slots) {
        this.registry = registry;
        this.compressionRatio = DistributionSummary.builder("recast.layer.compression.ratio")
                .description("recompressed layer size / source layer size").publishPercentileHistogram().register(registry);
        this.duration = Timer.builder("recast.conversion.duration").description("time per conversion or index build")
                .publishPercentileHistogram().register(registry);
        registry.gauge("recast.conversions.in.flight", slots, ConversionSlots::inUse);
    }

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

    public void bytes(ConversionReport.Totals totals) {
        if (totals != null) {
            registry.counter("recast.bytes.read").increment(totals.bytesRead());
            registry.counter("recast.bytes.written").increment(totals.bytesWritten());
        }
    }

    public void outcome(String kind, String outcome) {
        registry.counter("recast.conversions", "kind", kind, "outcome", outcome.toLowerCase(Locale.ROOT)).increment();
    }

    public void timed(long millis) {
        duration.record(Duration.ofMillis(millis));
    }
}
