package dev.recast.convert;

import com.github.luben.zstd.ZstdInputStream;
import dev.recast.model.Compression;
import dev.recast.model.Digest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The staged pass over a layer: the same bytes and diff_id as the tar, and whichever stage fails (the download, the
 * sink), the failure surfaces and every stage thread has ended.
 */
class LayerPipelineTest {
    private static final byte[] TAR = text(5_000_000);
    private final LayerRecompressor recompressor = new LayerRecompressor(1L << 40, 1000);

    private static byte[] text(int size) {
        Random random = new Random(17);
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) ('a' + random.nextInt(random.nextInt(26) + 1));
        }
        return bytes;
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        }
        return out.toByteArray();
    }

    private static Digest sha256(byte[] bytes) throws Exception {
        return Digest.of("sha256", MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static StageThreads stages() {
        return new StageThreads(new Cancellation(), "sha256:0123456789abcdef0123");
    }

    private static long stageThreadsAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("recast-stage-") && t.isAlive()).count();
    }

    @Test
    void recompressesToTheSameTarAndHashesIt() throws Exception {
        ByteArrayOutputStream zstd = new ByteArrayOutputStream();
        LayerRecompressor.Pass pass = recompressor.recompress(new ByteArrayInputStream(gzip(TAR)), Compression.GZIP,
                Compression.ZSTD, 3, zstd, stages());
        assertEquals(sha256(TAR), pass.diffId());
        assertEquals(TAR.length, pass.tarSize());
        try (InputStream in = new ZstdInputStream(new ByteArrayInputStream(zstd.toByteArray()))) {
            assertArrayEquals(TAR, in.readAllBytes());
        }
        assertEquals(0, stageThreadsAlive());
    }

    @Test
    void theOutputIsTheSameAsOnOneThread() throws Exception {
        ByteArrayOutputStream staged = new ByteArrayOutputStream();
        recompressor.recompress(new ByteArrayInputStream(gzip(TAR)), Compression.GZIP, Compression.ZSTD, 3, staged,
                stages());
        ByteArrayOutputStream direct = new ByteArrayOutputStream();
        try (OutputStream zstd = new com.github.luben.zstd.ZstdOutputStreamNoFinalizer(direct)
                .setLevel(3).setChecksum(true).setWorkers(0)) {
            zstd.write(TAR);
        }
        assertArrayEquals(direct.toByteArray(), staged.toByteArray());
    }

    @Test
    void aTruncatedDownloadStopsEveryStage() throws Exception {
        byte[] gzip = gzip(TAR);
        InputStream truncated = new ByteArrayInputStream(Arrays.copyOf(gzip, gzip.length / 2));
        assertThrows(IOException.class, () -> recompressor.recompress(truncated, Compression.GZIP, Compression.ZSTD,
                3, OutputStream.nullOutputStream(), stages()));
        assertEquals(0, stageThreadsAlive());
    }

    @Test
    void aFailingSinkSurfacesItsFailureAndStopsEveryStage() throws Exception {
        IOException refused = new IOException("upload refused");
        OutputStream failing = new OutputStream() {
            private long written;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                written += len;
                if (written > 100_000) {
                    throw refused;
                }
            }
        };
        // a stream long enough that the failure meets the writer mid-way, not only at the end
        byte[] longer = new byte[TAR.length * 4];
        for (int i = 0; i < 4; i++) {
            System.arraycopy(TAR, 0, longer, i * TAR.length, TAR.length);
        }
        IOException thrown = assertThrows(IOException.class, () -> recompressor.recompress(
                new ByteArrayInputStream(longer), Compression.NONE, Compression.ZSTD, 1, failing, stages()));
        assertSame(refused, thrown);
        assertEquals(0, stageThreadsAlive());
    }

    @Test
    void aStoppedRunStopsAStageWaitingOnItsSink() throws Exception {
        Cancellation cancellation = new Cancellation();
        OutputStream stuck = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                try {
                    Thread.sleep(Long.MAX_VALUE); // an upload that never answers
                } catch (InterruptedException e) {
                    throw new java.io.InterruptedIOException("upload interrupted");
                }
            }
        };
        Thread stopper = Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException ignored) {
                return;
            }
            cancellation.cancel(new dev.recast.RecastException(dev.recast.ErrorKind.IO, "deadline"));
        });
        try (Cancellation.Work ignored = cancellation.enter()) {
            assertThrows(Exception.class, () -> recompressor.recompress(new ByteArrayInputStream(gzip(TAR)),
                    Compression.GZIP, Compression.ZSTD, 3, stuck, new StageThreads(cancellation, "sha256:feed")));
        }
        stopper.join();
        assertTrue(cancellation.isCancelled());
        assertEquals(0, stageThreadsAlive());
    }
}
