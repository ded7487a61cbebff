package dev.recast.registry.layout;

import dev.recast.model.Digest;
import dev.recast.registry.store.BlobWriter;
import dev.recast.stream.HashingOutputStream;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** A blob written to a temporary file and moved into place under its digest once complete. */
final class LayoutBlobWriter implements BlobWriter {
    private final LayoutFiles files;
    private final Path temp;
    private final HashingOutputStream hashing;
    private boolean committed;

    LayoutBlobWriter(LayoutFiles files) {
        this.files = files;
        try {
            temp = files.tempFile();
            hashing = new HashingOutputStream(new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16));
        } catch (IOException e) {
            throw files.io("cannot start a blob", e);
        }
    }

    @Override
    public OutputStream stream() {
        return hashing;
    }

    @Override
    public Written commit() {
        try {
            hashing.close();
            Digest digest = hashing.digest();
            Path target = files.blobPath(digest);
            boolean present = Files.exists(target);
            if (!present) {
                Files.createDirectories(target.getParent());
                LayoutFiles.move(temp, target);
            }
            committed = true;
            return new Written(digest, hashing.count(), present);
        } catch (IOException e) {
            throw files.io("cannot store a blob", e);
        } finally {
            deleteTemp();
        }
    }

    @Override
    public void close() {
        if (!committed) {
            try {
                hashing.close();
            } catch (IOException ignored) {
                // discarding the blob anyway
            }
            deleteTemp();
        }
    }

    private void deleteTemp() {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // a leftover temp file is harmless: it is never named by index.json
        }
    }
}
