package dev.recast.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recast.cli.RecastMain;
import dev.recast.model.Digest;
import dev.recast.model.MediaType;
import dev.recast.testing.ExternalTools;
import dev.recast.testing.LabRegistry;
import dev.recast.testing.TestLayout;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;
import java.util.UUID;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Memory stays bounded whatever the layer's size: a generated 2 GB layer converts in a child JVM whose heap is 128 MiB
 * (and direct memory 64 MiB), and its tar hashes to its diff_id. Not timed; slow, so in the verify tier.
 */
@Tag("registry")
class LargeLayerMemoryTest {
    private static final long FILE_BYTES = 2L << 30;
    private static final int BLOCK = 1 << 20;

    @TempDir
    Path tmp;

    @Test
    void aTwoGigabyteLayerConvertsWithA128MegabyteHeap() throws Exception {
        LabRegistry lab = LabRegistry.plain();
        TestLayout layout = new TestLayout(tmp.resolve("layout"));
        Path gz = tmp.resolve("layer.gz");
        MessageDigest tarHash = MessageDigest.getInstance("SHA-256");
        MessageDigest gzHash = MessageDigest.getInstance("SHA-256");
        try (DigestOutputStream gzOut = new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(gz), 1 << 16), gzHash);
             OutputStream tar = new DigestOutputStream(new FastGzip(gzOut), tarHash)) {
            writeTar(tar);
        }
        Digest diffId = Digest.of("sha256", tarHash.digest());
        Digest layerDigest = Digest.of("sha256", gzHash.digest());
        long layerSize = Files.size(gz);
        Files.move(gz, layout.blobPath(layerDigest));
        String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},\"rootfs\":{\"type\":\"layers\","
                + "\"diff_ids\":[\"" + diffId + "\"]}}";
        var configBlob = layout.blob(MediaType.DOCKER_CONFIG, config.getBytes(StandardCharsets.UTF_8));
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.DOCKER_MANIFEST.value() + "\","
                + "\"config\":{\"mediaType\":\"" + MediaType.DOCKER_CONFIG.value() + "\",\"digest\":\""
                + configBlob.digest() + "\",\"size\":" + configBlob.size() + "},\"layers\":[{\"mediaType\":\""
                + MediaType.DOCKER_LAYER_GZIP.value() + "\",\"digest\":\"" + layerDigest + "\",\"size\":" + layerSize + "}]}";
        layout.tag("v2s2", layout.blob(MediaType.DOCKER_MANIFEST, manifest.getBytes(StandardCharsets.UTF_8)));

        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        String target = lab.ref("memory/big-" + UUID.randomUUID().toString().substring(0, 8) + ":oci");
        String out = ExternalTools.check(java.toString(), "-Xmx128m", "-XX:MaxDirectMemorySize=64m",
                "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                RecastMain.class.getName(), "convert", layout.ref("v2s2"), target, "--json", "--no-cache");

        JsonNode layer = new ObjectMapper().readTree(out).path("images").get(0).path("layers").get(0);
        assertEquals("RECOMPRESSED", layer.path("action").asText(), layer.toString());
        assertEquals(diffId.toString(), layer.path("diffId").asText(), "the tar hashed to its diff_id");
        assertEquals(layerDigest.toString(), layer.path("sourceDigest").asText());
    }

    /** A tar holding one file of {@value #FILE_BYTES} bytes of text: words, with each 1 MiB block numbered. */
    private static void writeTar(OutputStream tar) throws IOException {
        byte[] header = new byte[512];
        put(header, 0, "big.txt");
        put(header, 100, "0000644");
        put(header, 108, "0000000");
        put(header, 116, "0000000");
        put(header, 124, String.format("%011o", FILE_BYTES));
        put(header, 136, "00000000000");
        header[156] = '0';
        put(header, 257, "ustar");
        put(header, 263, "00");
        Arrays.fill(header, 148, 156, (byte) ' ');
        int sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        put(header, 148, String.format("%06o", sum));
        header[154] = 0;
        header[155] = ' ';
        tar.write(header);
        byte[] block = words(BLOCK);
        for (long written = 0, n = 0; written < FILE_BYTES; written += BLOCK, n++) {
            byte[] number = String.format("%015d\n", n).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(number, 0, block, 0, number.length);
            tar.write(block, 0, (int) Math.min(BLOCK, FILE_BYTES - written));
        }
        tar.write(new byte[1024]); // FILE_BYTES is a multiple of 512: no padding, then the two end blocks
    }

    private static byte[] words(int size) {
        String[] vocabulary = {"layer", "recast", "zstd", "gzip", "registry", "blob", "digest", "tar", "image ", "\n"};
        Random random = new Random(20);
        byte[] bytes = new byte[size];
        int at = 0;
        while (at < size) {
            byte[] word = (vocabulary[random.nextInt(vocabulary.length)] + " ").getBytes(StandardCharsets.US_ASCII);
            int n = Math.min(word.length, size - at);
            System.arraycopy(word, 0, bytes, at, n);
            at += n;
        }
        return bytes;
    }

    private static void put(byte[] header, int offset, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, header, offset, bytes.length);
    }

    /** gzip at level 1: the fixture is written fast. */
    private static final class FastGzip extends GZIPOutputStream {
        FastGzip(OutputStream out) throws IOException {
            super(out, 1 << 16);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }
}
