package dev.recast.service;

import com.github.luben.zstd.Zstd;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness means this service can convert: its native zstd library loads and a conversion slot can be had.
 * It deliberately says nothing of remote registries, whose outages are not a reason to take this service away.
 */
@Readiness
public class EngineHealth implements HealthCheck {
    private final ConversionSlots slots;
    private final RecastConfig config;

    public EngineHealth(ConversionSlots slots, RecastConfig config) {
        this.slots = slots;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            int max = Zstd.maxCompressionLevel();
            return HealthCheckResponse.named("recast-engine").up().withData("zstd-max-level", max)
                    .withData("slots-in-use", slots.inUse()).withData("slots", config.api().concurrency()).build();
        } catch (LinkageError e) {
            return HealthCheckResponse.named("recast-engine").down().withData("error", "zstd native library: " + e).build();
        }
    }
}
