package dev.recast.convert;

import dev.recast.model.Descriptor;
import dev.recast.model.Digest;
import dev.recast.model.MediaType;
import dev.recast.registry.ImageStores;
import dev.recast.registry.http.RegistrySettings;
import dev.recast.registry.reference.ImageReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LayerProgressTest {
    private static final Path SAMPLE = Path.of("samples/hello").toAbsolutePath();

    @TempDir
    Path tmp;

    private record Told(long read, long written) {
    }

    @Test
    void countsBothWaysAndTellsAFewTimesASecondAtMost() throws IOException {
        Descriptor layer = new Descriptor(MediaType.OCI_LAYER_GZIP, Digest.sha256(new byte[0]), 4000);
        List<Told> told = new ArrayList<>();
        LayerProgress progress = new LayerProgress(new ConversionListener() {
            @Override
            public void layerProgress(String image, Descriptor l, long bytesRead, long bytesWritten) {
                told.add(new Told(bytesRead, bytesWritten));
            }
        }, "img", layer);
        byte[] data = new byte[4000];
        new java.util.Random(1).nextBytes(data);
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        long started = System.nanoTime();
        try (InputStream in = progress.reading(slow(new ByteArrayInputStream(data)));
             OutputStream out = progress.writing(copy)) {
            byte[] buffer = new byte[100];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
            }
        }
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

        assertArrayEquals(data, copy.toByteArray(), "bytes pass through unchanged");
        assertTrue(told.size() >= 3, "40 reads of 25 ms: told at least twice in " + elapsedMillis + " ms, and at the end: " + told);
        assertTrue(told.size() <= elapsedMillis / 200 + 2, "at most five times a second and at the end: " + told + " in "
                + elapsedMillis + " ms");
        assertEquals(4000, told.getLast().read(), "the last word is the whole blob: " + told);
        for (int i = 1; i < told.size(); i++) {
            assertTrue(told.get(i).read() >= told.get(i - 1).read(), told.toString());
            assertTrue(told.get(i).written() >= told.get(i).read() - 200, "writes keep up with reads: " + told);
        }
    }

    @Test
    void aConversionTellsEveryLayerReadToItsEnd() {
        Map<Digest, Long> lastRead = new ConcurrentHashMap<>();
        Map<Digest, Long> sizes = new ConcurrentHashMap<>();
        try (ImageConverter converter = new ImageConverter(new ImageStores(RegistrySettings.defaults()), 3,
                ImageConverter.Limits.DEFAULT)) {
            converter.convert(ImageReference.parse("oci:" + SAMPLE + ":v2s2"), ImageReference.parse("oci:" + tmp + ":z"),
                    ConversionOptions.DEFAULT, new ConversionListener() {
                        @Override
                        public void layerStarted(String image, Descriptor layer) {
                            sizes.put(layer.digest(), layer.size());
                        }

                        @Override
                        public void layerProgress(String image, Descriptor layer, long bytesRead, long bytesWritten) {
                            lastRead.merge(layer.digest(), bytesRead, Math::max);
                        }
                    });
        }
        assertEquals(3, sizes.size());
        assertEquals(sizes, lastRead, "each layer of the sample was told read to its size");
    }

    /** A source that takes 25 ms per read, as a slow registry would. */
    private static InputStream slow(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                try {
                    Thread.sleep(25);
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                return in.read(buffer, offset, length);
            }
        };
    }
}
