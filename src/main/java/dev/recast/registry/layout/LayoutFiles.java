package dev.recast.registry.layout;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.model.Digest;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Where a layout keeps its files, and how it replaces one: write a temporary file, then move it into place. */
record LayoutFiles(Path root) {

    String name() {
        return "oci:" + root;
    }

    Path blobPath(Digest digest) {
        return root.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex());
    }

    Path tempFile() throws IOException {
        Path temp = root.resolve(".recast-tmp");
        Files.createDirectories(temp);
        return Files.createTempFile(temp, "blob-", ".part");
    }

    void replaceAtomically(Path target, byte[] bytes) throws IOException {
        Path temp = tempFile();
        try {
            Files.write(temp, bytes);
            move(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    RecastException io(String what, IOException e) {
        return new RecastException(ErrorKind.IO, what + " in " + name() + ": " + e.getMessage(), e);
    }
}
