package dev.recast.registry.referrers;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.model.Content;
import dev.recast.model.Descriptor;
import dev.recast.model.Digest;
import dev.recast.model.ImageManifest;
import dev.recast.model.Index;
import dev.recast.registry.store.ImageStore;
import dev.recast.registry.store.SideBySide;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Attaches a referrer (a manifest whose {@code subject} names an image) to a store. Its blobs must already be there.
 * The manifest is pushed by digest; a registry that answers {@code OCI-Subject} indexes it itself. Otherwise the
 * fallback tag index is maintained here: read, merge, write, wait a jittered moment, read again. Registries have no
 * compare-and-swap on tags, so a concurrent writer that read the index before our write may overwrite it; the wait
 * lets that write land before we re-read, and a lost entry is merged and written again, a bounded number of times.
 * <p>
 * Such a writer's overwrite lands at most one read and one write after ours, and its requests take about as long as
 * ours on the same registry: so the wait is {@value #SETTLE_ROUNDS} times our own last read and write (at least the
 * settle given), doubled at random. On a registry next door that is tens of milliseconds, on a distant or loaded one
 * as long as it needs. The writers Recast races most are other replicas converting the same image: they attach the
 * same provenance and the same copied referrers (both are reproducible), so their entries cannot be lost to each
 * other; a different writer far slower than Recast's own requests still can be.
 */
public final class ReferrerAttacher {
    /** What attaching did: who indexes the referrer, and how many times the fallback index was written. */
    public record Attached(Digest referrer, Digest subject, ReferrerSource indexedBy, int indexWrites) {
    }

    static final int SETTLE_ROUNDS = 3;
    private static final long MAX_SETTLE_MILLIS = 5_000;

    private final int attempts;
    private final Duration settle;

    public ReferrerAttacher() {
        this(8, Duration.ofMillis(25));
    }

    /**
     * @param attempts how many times the fallback index may be written before giving up
     * @param settle   the least wait between writing the index and reading it back; the registry's latency makes it
     *                 longer (up to 5 s), and it is doubled at random
     */
    public ReferrerAttacher(int attempts, Duration settle) {
        this.attempts = attempts;
        this.settle = settle;
    }

    /** Pushes a new artifact's config and payloads (side by side), then attaches its manifest. */
    public Attached attach(ImageStore store, ReferrerArtifact artifact) {
        List<Content> blobs = new ArrayList<>(List.of(Content.OCI_EMPTY));
        artifact.payloads().forEach(payload -> blobs.add(payload.content()));
        SideBySide.all(blobs.stream().map(blob -> (Supplier<Content>) () -> {
            store.putIfAbsent(blob);
            return blob;
        }).toList());
        return attach(store, artifact.manifest().content());
    }

    /**
     * Pushes the config every artifact shares, once, before several are attached side by side: each of them pushing
     * it at the same moment rewrites its link in the repository while another's manifest is checked against it, and
     * distribution's storage shows that link half-written (distribution#2077), refusing the manifest.
     */
    public void prepareSideBySide(ImageStore store) {
        store.putIfAbsent(Content.OCI_EMPTY);
    }

    /** Attaches a manifest whose {@code subject} names an image; every blob it names must already be in the store. */
    public Attached attach(ImageStore store, Content referrer) {
        ImageManifest parsed = ImageManifest.parse(referrer);
        Descriptor subject = FallbackIndex.subject(parsed);
        if (subject == null) {
            throw new RecastException(ErrorKind.BAD_REQUEST, "referrer " + referrer.digest() + " for " + store.name()
                    + " has no subject");
        }
        if (store.putReferrer(referrer)) {
            return new Attached(referrer.digest(), subject.digest(), ReferrerSource.API, 0);
        }
        Descriptor entry = FallbackIndex.entry(parsed);
        String tag = ReferrerTags.fallback(subject.digest());
        long started = System.nanoTime();
        Optional<Index> current = FallbackIndex.read(store, subject.digest());
        long readNanos = System.nanoTime() - started;
        RecastException refused = null;
        for (int writes = 0; ; writes++) {
            if (FallbackIndex.lists(current, referrer.digest())) {
                return new Attached(referrer.digest(), subject.digest(), ReferrerSource.FALLBACK_TAG, writes);
            }
            if (writes == attempts) {
                throw new RecastException(ErrorKind.CONFLICT, "referrer " + referrer.digest() + " of " + store.name()
                        + "@" + subject.digest() + " was lost from tag " + tag + " " + attempts
                        + " times: other writers keep replacing that index"
                        + (refused == null ? "" : "; last refusal: " + refused.getMessage()), refused);
            }
            long writing = System.nanoTime();
            RecastException refusal = write(store, tag, FallbackIndex.merge(current, entry).content());
            long writeNanos = System.nanoTime() - writing;
            refused = refusal != null ? refusal : refused;
            pause(readNanos + writeNanos);
            long reading = System.nanoTime();
            current = FallbackIndex.read(store, subject.digest());
            readNanos = System.nanoTime() - reading;
        }
    }

    /**
     * Writes the index; a write refused because of another writer counts as a lost round (the store has sent it
     * again a few times already, see {@link RecastException#isRaceWithAnotherWriter}). Returns that refusal, or null
     * when the index was written.
     */
    private static RecastException write(ImageStore store, String tag, Content index) {
        try {
            store.tag(tag, index);
            return null;
        } catch (RecastException e) {
            if (!e.isRaceWithAnotherWriter()) {
                throw e;
            }
            return e;
        }
    }

    private void pause(long roundNanos) {
        long least = Math.max(settle.toMillis(),
                Math.min(MAX_SETTLE_MILLIS, SETTLE_ROUNDS * TimeUnit.NANOSECONDS.toMillis(roundNanos)));
        long millis = least + ThreadLocalRandom.current().nextLong(least + 1);
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RecastException(ErrorKind.IO, "interrupted while attaching a referrer", e);
        }
    }
}
