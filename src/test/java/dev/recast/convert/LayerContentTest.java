package dev.recast.convert;

import dev.recast.model.Compression;
import dev.recast.testing.LayerTar;
import dev.recast.testing.TestLayout;
import org.junit.jupiter.api.Test;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A layer's real content from its first bytes: gzip, zstd, a tar (ustar, v7, empty), or none of them. */
class LayerContentTest {
    private final byte[] tar = new LayerTar().file("etc/hello", "hello").build();

    @Test
    void tellsGzipZstdAndTarApart() {
        assertEquals(Compression.GZIP, LayerContent.of(TestLayout.gzip(tar)));
        assertEquals(Compression.ZSTD, LayerContent.of(TestLayout.zstd(tar)));
        assertEquals(Compression.NONE, LayerContent.of(tar));
        assertEquals(Compression.NONE, LayerContent.of(new byte[1024]), "an empty archive is two zero blocks");
        assertEquals(Compression.NONE, LayerContent.of(new byte[0]));
    }

    @Test
    void anOldV7HeaderIsATarByItsChecksum() {
        byte[] v7 = Arrays.copyOf(tar, 512);
        Arrays.fill(v7, 257, 265, (byte) 0); // no ustar magic: a v7 header, told by its checksum alone
        long sum = 0;
        for (int i = 0; i < 512; i++) {
            sum += i >= 148 && i < 156 ? ' ' : v7[i] & 0xff;
        }
        byte[] field = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(field, 0, v7, 148, 8);
        assertEquals(Compression.NONE, LayerContent.of(v7));
        v7[0] ^= 1;
        assertNull(LayerContent.of(v7), "one changed byte breaks the checksum");
    }

    @Test
    void somethingElseIsNothingALayerTypeDescribes() {
        byte[] json = "{\"architecture\":\"amd64\"}".repeat(40).getBytes(StandardCharsets.UTF_8);
        assertNull(LayerContent.of(json));
        assertNull(LayerContent.of(new byte[]{(byte) 0xfd, '7', 'z', 'X', 'Z', 0}), "xz is not a layer compression");
    }

    @Test
    void peekingConsumesNothing() throws IOException {
        byte[] zstd = TestLayout.zstd(tar);
        BufferedInputStream in = new BufferedInputStream(new ByteArrayInputStream(zstd), 64);
        assertEquals(Compression.ZSTD, LayerContent.peek(in));
        assertArrayEquals(zstd, in.readAllBytes());
    }

    @Test
    void aLieIsNamedBothWays() {
        assertEquals("media type said gzip, content is zstd", LayerContent.lie(Compression.GZIP, Compression.ZSTD));
        assertEquals("media type said zstd, content is plain tar", LayerContent.lie(Compression.ZSTD, Compression.NONE));
        assertNull(LayerContent.lie(Compression.GZIP, Compression.GZIP));
    }
}
