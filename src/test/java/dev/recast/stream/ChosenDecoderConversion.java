package dev.recast.stream;

import dev.recast.convert.ConversionOptions;
import dev.recast.convert.ConversionReport;
import dev.recast.convert.ImageConverter;
import dev.recast.registry.ImageStores;
import dev.recast.registry.http.RegistrySettings;
import dev.recast.registry.reference.ImageReference;

/**
 * Run in a JVM of its own by {@link FallbackConversionTest} (the decoder is chosen once per process): converts
 * {@code args[0]} into {@code args[1]} and prints the chosen decoder, the source digest, the result's digest and the
 * chosen SHA-256.
 */
public final class ChosenDecoderConversion {
    private ChosenDecoderConversion() {
    }

    public static void main(String[] args) {
        try (ImageConverter converter = new ImageConverter(new ImageStores(RegistrySettings.defaults()), 2,
                ImageConverter.Limits.DEFAULT)) {
            ConversionReport report = converter.convert(ImageReference.parse(args[0]), ImageReference.parse(args[1]),
                    ConversionOptions.DEFAULT);
            System.out.println(GzipDecoder.chosen().name() + " " + report.sourceDigest() + " " + report.targetDigest()
                    + " " + HasherChoice.chosen());
        }
    }
}
