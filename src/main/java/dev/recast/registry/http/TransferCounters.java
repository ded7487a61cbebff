package dev.recast.registry.http;

import java.util.concurrent.atomic.AtomicLong;

/** What crossed the wire, for reports, metrics and tests that assert nothing was uploaded. */
public final class TransferCounters {
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong blobBytesUploaded = new AtomicLong();
    private final AtomicLong blobsUploaded = new AtomicLong();
    private final AtomicLong blobsMounted = new AtomicLong();
    private final AtomicLong blobBytesDownloaded = new AtomicLong();
    private final AtomicLong manifestsPut = new AtomicLong();
    private final AtomicLong tagsPut = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();

    void request() {
        requests.incrementAndGet();
    }

    void uploaded(long bytes) {
        blobBytesUploaded.addAndGet(bytes);
    }

    void blobUploaded() {
        blobsUploaded.incrementAndGet();
    }

    void mounted() {
        blobsMounted.incrementAndGet();
    }

    void downloaded(long bytes) {
        blobBytesDownloaded.addAndGet(bytes);
    }

    void manifestPut(boolean byTag) {
        (byTag ? tagsPut : manifestsPut).incrementAndGet();
    }

    void retried() {
        retries.incrementAndGet();
    }

    public Snapshot snapshot() {
        return new Snapshot(requests.get(), blobBytesUploaded.get(), blobsUploaded.get(), blobsMounted.get(),
                blobBytesDownloaded.get(), manifestsPut.get(), tagsPut.get(), retries.get());
    }

    public record Snapshot(long requests, long blobBytesUploaded, long blobsUploaded, long blobsMounted,
                           long blobBytesDownloaded, long manifestsPut, long tagsPut, long retries) {
        public Snapshot minus(Snapshot before) {
            return new Snapshot(requests - before.requests, blobBytesUploaded - before.blobBytesUploaded,
                    blobsUploaded - before.blobsUploaded, blobsMounted - before.blobsMounted,
                    blobBytesDownloaded - before.blobBytesDownloaded, manifestsPut - before.manifestsPut,
                    tagsPut - before.tagsPut, retries - before.retries);
        }
    }
}
