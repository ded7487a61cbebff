package dev.recast.convert;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.model.Compression;
import dev.recast.webhook.WebhookRule;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The variants and force options: what they accept, refuse, and how a rerun recognises their result. */
class VariantsOptionsTest {

    @Test
    void gzipAndZstdInEitherOrderAreTheOnlyVariants() {
        assertEquals(ConversionOptions.GZIP_AND_ZSTD, ConversionOptions.variants(List.of("zstd", "gzip")));
        assertEquals(ConversionOptions.GZIP_AND_ZSTD, ConversionOptions.variants(List.of("GZIP", " zstd")));
        assertEquals(List.of(), ConversionOptions.variants(null));
        assertEquals(List.of(), ConversionOptions.variants(List.of()));
        for (List<String> refused : List.of(List.of("gzip"), List.of("zstd", "zstd"), List.of("gzip", "zstd", "none"),
                List.of("gzip", "brotli"))) {
            RecastException e = assertThrows(RecastException.class, () -> ConversionOptions.variants(refused));
            assertEquals(ErrorKind.BAD_REQUEST, e.kind(), refused.toString());
        }
    }

    @Test
    void variantsConvertToZstdOnly() {
        RecastException e = assertThrows(RecastException.class, () -> new ConversionOptions(Compression.GZIP, null,
                List.of(), false).withVariants(ConversionOptions.GZIP_AND_ZSTD, VariantsFormat.SOURCE));
        assertEquals(ErrorKind.BAD_REQUEST, e.kind());
        assertTrue(e.getMessage().contains("gzip"), e.getMessage());
    }

    @Test
    void theLabelTellsVariantsAndTheirFormatApart() {
        ConversionOptions plain = ConversionOptions.DEFAULT;
        ConversionOptions source = plain.withVariants(ConversionOptions.GZIP_AND_ZSTD, null);
        ConversionOptions oci = plain.withVariants(ConversionOptions.GZIP_AND_ZSTD, VariantsFormat.OCI);
        assertEquals("zstd:3", plain.label());
        assertEquals("zstd:3;variants=gzip,zstd", source.label());
        assertEquals("zstd:3;variants=gzip,zstd;variants-format=oci", oci.label());
        // force changes whether a run may start, not what it produces
        assertEquals(plain.label(), plain.withForce(true).label());
        assertTrue(plain.withForce(true).withDryRun(true).withCache(CacheChoice.ENGINE).force());
        assertEquals(VariantsFormat.OCI, oci.withDryRun(true).withCache(CacheChoice.ENGINE).variantsFormat());
    }

    @Test
    void theOlderConstructorsMeanNoVariantsAndNoForce() {
        ConversionOptions options = new ConversionOptions(Compression.ZSTD, 5, List.of(), true);
        assertEquals(List.of(), options.variants());
        assertEquals(VariantsFormat.SOURCE, options.variantsFormat());
        assertFalse(options.force());
    }

    @Test
    void variantsFormatsAreSourceAndOci() {
        assertEquals(VariantsFormat.SOURCE, VariantsFormat.parse(null));
        assertEquals(VariantsFormat.OCI, VariantsFormat.parse("oci"));
        assertEquals(ErrorKind.BAD_REQUEST, assertThrows(RecastException.class, () -> VariantsFormat.parse("v2s2")).kind());
    }

    @Test
    void aWebhookRuleWithUnknownVariantsIsRefusedWhenRead() {
        assertEquals(List.of("gzip", "zstd"), new WebhookRule.Convert("{repository}:{tag}", null, null, true,
                List.of("gzip", "zstd"), "oci", null, null, null).variants());
        assertThrows(RecastException.class, () -> new WebhookRule.Convert("{repository}:{tag}", null, null, true,
                List.of("zstd"), null, null, null, null));
        assertThrows(RecastException.class, () -> new WebhookRule.Convert("{repository}:{tag}", null, null, true,
                null, "docker", null, null, null));
    }
}
