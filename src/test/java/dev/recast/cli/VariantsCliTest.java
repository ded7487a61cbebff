package dev.recast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recast.convert.ConversionOptions;
import dev.recast.convert.VariantsFormat;
import dev.recast.testing.CraftedImages;
import dev.recast.testing.LabRegistry;
import dev.recast.testing.LayoutImages;
import dev.recast.testing.RegistryImages;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --variants}, {@code --variants-format} and {@code --force} on the command line, converting a layout in place. */
@Tag("registry")
class VariantsCliTest {
    @TempDir
    Path tmp;

    @Test
    void theOptionsReachTheConversionOptions() {
        ConversionOptions options = Arguments.parse(new String[]{"a", "b", "--variants", "gzip,zstd",
                "--variants-format=oci", "--force"}).options();
        assertEquals(ConversionOptions.GZIP_AND_ZSTD, options.variants());
        assertEquals(VariantsFormat.OCI, options.variantsFormat());
        assertTrue(options.force());
        assertEquals(List.of(), Arguments.parse(new String[]{"a", "b"}).options().variants());
        CliRun index = CliRun.of(List.of("index", "oci:" + tmp + "/i:x", "oci:" + tmp + "/s:y", "--variants", "gzip,zstd"));
        assertEquals(RecastMain.USAGE, index.code());
        assertTrue(index.err().contains("not index"), index.err());
    }

    @Test
    void inPlaceNeedsVariantsOrForceAndVariantsKeepTheSourceFirst() throws Exception {
        Path layout = copyOfSample();
        String ref = "oci:" + layout + ":v2s2";
        String source = LayoutImages.taggedDigest(layout, "v2s2");

        CliRun refused = CliRun.of(List.of("convert", ref, ref));
        assertEquals(RecastMain.FAILED, refused.code());
        assertTrue(refused.err().contains("bad request") && refused.err().contains("--variants gzip,zstd")
                && refused.err().contains("--force"), refused.err());
        assertEquals(source, LayoutImages.taggedDigest(layout, "v2s2"));
        assertEquals(RecastMain.FAILED, CliRun.of(List.of("convert", ref, ref, "--variants", "zstd")).code());

        CliRun converted = CliRun.of(List.of("convert", ref, ref, "--variants", "gzip,zstd", "--json"));
        assertEquals(RecastMain.OK, converted.code(), converted.err());
        JsonNode report = new ObjectMapper().readTree(converted.out());
        assertEquals("CONVERTED", report.path("outcome").asText());
        assertEquals("application/vnd.oci.image.index.v1+json", report.path("targetMediaType").asText());
        JsonNode index = LayoutImages.manifest(layout, LayoutImages.taggedDigest(layout, "v2s2"));
        assertEquals(source, index.path("manifests").get(0).path("digest").asText());
        assertEquals("true", index.path("manifests").get(1).path("annotations")
                .path("io.github.containers.compression.zstd").asText());

        CliRun again = CliRun.of(List.of("convert", ref, ref, "--variants", "gzip,zstd", "--json"));
        assertEquals("ALREADY_CONVERTED", new ObjectMapper().readTree(again.out()).path("outcome").asText(), again.err());
    }

    @Test
    void migrateWithVariantsConvertsEachTagInPlaceIntoVariants() throws Exception {
        LabRegistry lab = LabRegistry.plain();
        String repo = "variants-migrate/app-" + UUID.randomUUID().toString().substring(0, 8);
        CraftedImages.Stored hello = CraftedImages.hello(lab, repo);
        List<String> migrate = List.of("migrate", "docker://" + lab.host(), "--insecure", lab.host(), "--repository", repo,
                "--target", "{repository}:{tag}", "--json");

        CliRun refused = CliRun.of(migrate);
        assertTrue(refused.out().contains("--variants gzip,zstd"), refused.out());
        assertEquals(hello.digest(), RegistryImages.rawDigest(lab, repo + ":hello"));

        List<String> withVariants = new ArrayList<>(migrate);
        withVariants.addAll(List.of("--variants", "gzip,zstd"));
        CliRun run = CliRun.of(withVariants);
        assertEquals(RecastMain.OK, run.code(), run.err() + run.out());
        JsonNode index = RegistryImages.rawManifest(lab, repo + ":hello");
        assertEquals("application/vnd.oci.image.index.v1+json", index.path("mediaType").asText());
        assertEquals(hello.digest(), index.path("manifests").get(0).path("digest").asText());
    }

    private Path copyOfSample() throws IOException {
        Path sample = Path.of("samples/hello").toAbsolutePath();
        Path copy = tmp.resolve("hello");
        try (Stream<Path> files = Files.walk(sample)) {
            for (Path file : files.toList()) {
                Files.copy(file, copy.resolve(sample.relativize(file).toString()));
            }
        }
        return copy;
    }
}
