package dev.recast.migrate;

import java.util.Collection;

/**
 * Counts over some images of a migration (one repository, or all).
 *
 * @param images         tags taken as sources (Recast's own outputs are not)
 * @param skipped        already converted, or already in the target form
 * @param savingsPercent how much smaller the converted images' layers are, 0 when nothing was converted
 */
public record MigrationTotals(int images, int converted, int skipped, int planned, int failed, int recompressed,
                              int reused, int copied, long bytesBefore, long bytesAfter, double savingsPercent) {

    static MigrationTotals of(Collection<ImageResult> results) {
        int images = 0, converted = 0, skipped = 0, planned = 0, failed = 0, recompressed = 0, reused = 0, copied = 0;
        long before = 0, after = 0;
        for (ImageResult result : results) {
            if (result.status() == ImageResult.Status.EXCLUDED) {
                continue;
            }
            images++;
            switch (result.status()) {
                case CONVERTED -> converted++;
                case PLANNED -> planned++;
                case FAILED -> failed++;
                default -> skipped++;
            }
            recompressed += result.recompressed();
            reused += result.reused();
            copied += result.copied();
            before += result.bytesBefore();
            after += result.bytesAfter();
        }
        double savings = before == 0 ? 0 : Math.round(1000.0 * (before - after) / before) / 10.0;
        return new MigrationTotals(images, converted, skipped, planned, failed, recompressed, reused, copied, before,
                after, savings);
    }
}
