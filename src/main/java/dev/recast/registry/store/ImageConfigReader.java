package dev.recast.registry.store;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.model.Content;
import dev.recast.model.Descriptor;
import dev.recast.model.ImageConfig;
import dev.recast.stream.VerifyingInputStream;

import java.io.IOException;
import java.io.InputStream;

/** Reads an image config blob from a store: size-capped, digest-checked, parsed. */
public final class ImageConfigReader {

    private ImageConfigReader() {
    }

    public static ImageConfig read(ImageStore store, Descriptor config, long limit) {
        try (InputStream in = store.openBlob(config)) {
            byte[] bytes = VerifyingInputStream.readAllVerified(in, config.digest(), config.size(), limit,
                    "config " + config.digest() + " in " + store.name());
            return ImageConfig.parse(new Content(config.mediaType(), bytes, config.digest()));
        } catch (IOException e) {
            throw new RecastException(ErrorKind.IO, "cannot read config " + config.digest() + " from " + store.name()
                    + ": " + e.getMessage(), null, config.digest().toString(), e);
        }
    }
}
