package dev.recast.registry.layout;

import dev.recast.registry.store.BlobWriter;
import dev.recast.registry.store.ImageStore;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.model.Content;
import dev.recast.model.Descriptor;
import dev.recast.model.Digest;
import dev.recast.model.ImageJson;
import dev.recast.model.Index;
import dev.recast.model.MediaType;
import dev.recast.stream.HashingOutputStream;
import dev.recast.stream.VerifyingInputStream;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An OCI image layout directory ({@code oci-layout}, {@code index.json}, {@code blobs/ALG/HEX}). Blobs are written to
 * a temporary file and moved into place only when their digest checks; {@code index.json} is replaced atomically
 * under a lock, so concurrent writers (threads or processes) never lose each other's tags.
 */
public final class OciLayoutStore implements ImageStore {
    public static final String REF_NAME = "org.opencontainers.image.ref.name";
    private static final Map<Path, ReentrantLock> INDEX_LOCKS = new ConcurrentHashMap<>();
    private final Path root;
    private final long manifestLimit;

    public OciLayoutStore(Path root, long manifestLimit) {
        this.root = root.toAbsolutePath().normalize();
        this.manifestLimit = manifestLimit;
    }

    @Override
    public String name() {
        return "oci:" + root;
    }

    public Path root() {
        return root;
    }

    @Override
    public Optional<Content> findManifest(String reference) {
        List<Descriptor> entries = readIndexEntries();
        Descriptor found = null;
        if (reference == null) {
            if (entries.size() > 1) {
                throw new RecastException(ErrorKind.BAD_REQUEST, name() + " holds " + entries.size()
                        + " images: name one with oci:DIR:TAG");
            }
            found = entries.isEmpty() ? null : entries.getFirst();
        } else if (Digest.isDigest(reference)) {
            Digest digest = Digest.parse(reference);
            found = entries.stream().filter(d -> d.digest().equals(digest)).findFirst().orElse(null);
            if (found == null && hasBlob(digest)) {
                // an untagged child of an index: its type comes from its own mediaType field
                found = new Descriptor(MediaType.OCI_MANIFEST, digest, size(digest));
            }
        } else {
            for (Descriptor entry : entries) {
                if (reference.equals(entry.annotations().get(REF_NAME))) {
                    found = entry;
                }
            }
        }
        if (found == null) {
            return Optional.empty();
        }
        byte[] bytes = readSmall(found, manifestLimit, "manifest");
        return Optional.of(new Content(found.mediaType(), bytes, found.digest()));
    }

    @Override
    public InputStream openBlob(Descriptor descriptor) {
        Path path = blobPath(descriptor.digest());
        try {
            return new VerifyingInputStream(Files.newInputStream(path), descriptor.digest(), descriptor.size(),
                    "blob " + descriptor.digest() + " in " + name());
        } catch (NoSuchFileException e) {
            throw new RecastException(ErrorKind.NOT_FOUND, "blob " + descriptor.digest() + " is not in " + name(),
                    null, descriptor.digest().toString(), e);
        } catch (IOException e) {
            throw io("cannot read blob " + descriptor.digest(), e);
        }
    }

    @Override
    public boolean hasBlob(Digest digest) {
        return Files.isRegularFile(blobPath(digest));
    }

    @Override
    public BlobWriter newBlob() {
        ensureLayout();
        return new LayoutBlobWriter();
    }

    @Override
    public void putBlob(Descriptor descriptor, InputStream content) {
        if (hasBlob(descriptor.digest())) {
            try (InputStream in = content) {
                return;
            } catch (IOException e) {
                throw io("cannot close source of " + descriptor.digest(), e);
            }
        }
        try (BlobWriter writer = newBlob();
             InputStream in = new VerifyingInputStream(content, descriptor.digest(), descriptor.size(),
                     "blob " + descriptor.digest() + " for " + name())) {
            in.transferTo(writer.stream());
            writer.commit();
        } catch (IOException e) {
            throw io("cannot write blob " + descriptor.digest(), e);
        }
    }

    @Override
    public void putManifest(Content manifest) {
        if (!hasBlob(manifest.digest())) {
            try (BlobWriter writer = newBlob()) {
                writer.stream().write(manifest.bytes());
                writer.commit();
            } catch (IOException e) {
                throw io("cannot write manifest " + manifest.digest(), e);
            }
        }
    }

    @Override
    public void tag(String tag, Content manifest) {
        putManifest(manifest);
        ensureLayout();
        underIndexLock(() -> {
            List<Descriptor> entries = new ArrayList<>(readIndexEntries());
            entries.removeIf(d -> tag != null && tag.equals(d.annotations().get(REF_NAME)));
            Map<String, String> annotations = tag == null ? Map.of() : Map.of(REF_NAME, tag);
            entries.add(manifest.descriptor().withAnnotations(annotations));
            writeIndex(entries);
        });
    }

    /** Runs an update of index.json holding both this JVM's lock and the file lock other processes respect. */
    private void underIndexLock(IndexUpdate update) {
        ReentrantLock threadLock = INDEX_LOCKS.computeIfAbsent(root, r -> new ReentrantLock());
        threadLock.lock();
        try (FileChannel lockFile = FileChannel.open(root.resolve("index.json.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = lockFile.lock()) {
            update.run();
        } catch (IOException e) {
            throw io("cannot update index.json", e);
        } finally {
            threadLock.unlock();
        }
    }

    @FunctionalInterface
    private interface IndexUpdate {
        void run() throws IOException;
    }

    /** Replaces index.json atomically: readers see the old or the new file, never a partial one. */
    private void writeIndex(List<Descriptor> entries) throws IOException {
        replaceAtomically(root.resolve("index.json"),
                Index.create(MediaType.OCI_INDEX, null, entries, null, Map.of()).content().bytes());
    }

    private List<Descriptor> readIndexEntries() {
        Path indexFile = root.resolve("index.json");
        if (!Files.exists(indexFile)) {
            // not created yet (or being created by a concurrent writer): it holds no images
            return List.of();
        }
        try {
            byte[] bytes = Files.readAllBytes(indexFile);
            ObjectNode json = ImageJson.readObject(bytes, name() + "/index.json");
            List<Descriptor> out = new ArrayList<>();
            var array = json.get("manifests");
            if (array == null || !array.isArray()) {
                throw new RecastException(ErrorKind.INVALID_IMAGE, name() + "/index.json has no 'manifests' array");
            }
            for (var node : array) {
                out.add(ImageJson.readDescriptor(node, name() + "/index.json entry"));
            }
            return out;
        } catch (IOException e) {
            throw io("cannot read index.json", e);
        }
    }

    private byte[] readSmall(Descriptor descriptor, long cap, String what) {
        try (InputStream in = Files.newInputStream(blobPath(descriptor.digest()))) {
            return VerifyingInputStream.readAllVerified(in, descriptor.digest(), descriptor.size(), cap,
                    what + " " + descriptor.digest() + " in " + name());
        } catch (NoSuchFileException e) {
            throw new RecastException(ErrorKind.NOT_FOUND, what + " " + descriptor.digest() + " is named in "
                    + name() + "/index.json but its blob is missing", null, descriptor.digest().toString(), e);
        } catch (IOException e) {
            throw io("cannot read " + what + " " + descriptor.digest(), e);
        }
    }

    private long size(Digest digest) {
        try {
            return Files.size(blobPath(digest));
        } catch (IOException e) {
            throw io("cannot read blob " + digest, e);
        }
    }

    private Path blobPath(Digest digest) {
        return root.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex());
    }

    private void ensureLayout() {
        try {
            Files.createDirectories(root.resolve("blobs"));
            Path marker = root.resolve("oci-layout");
            if (!Files.exists(marker)) {
                replaceAtomically(marker, "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
            }
            if (!Files.exists(root.resolve("index.json"))) {
                underIndexLock(() -> {
                    if (!Files.exists(root.resolve("index.json"))) {
                        writeIndex(List.of());
                    }
                });
            }
        } catch (IOException e) {
            throw io("cannot create the layout", e);
        }
    }

    private Path tempFile() throws IOException {
        Path temp = root.resolve(".recast-tmp");
        Files.createDirectories(temp);
        return Files.createTempFile(temp, "blob-", ".part");
    }

    private void replaceAtomically(Path target, byte[] bytes) throws IOException {
        Path temp = tempFile();
        try {
            Files.write(temp, bytes);
            move(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private RecastException io(String what, IOException e) {
        return new RecastException(ErrorKind.IO, what + " in " + name() + ": " + e.getMessage(), e);
    }

    private final class LayoutBlobWriter implements BlobWriter {
        private final Path temp;
        private final HashingOutputStream hashing;
        private boolean committed;

        LayoutBlobWriter() {
            try {
                temp = tempFile();
                hashing = new HashingOutputStream(new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16));
            } catch (IOException e) {
                throw io("cannot start a blob", e);
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
                Path target = blobPath(digest);
                boolean present = Files.exists(target);
                if (!present) {
                    Files.createDirectories(target.getParent());
                    move(temp, target);
                }
                committed = true;
                return new Written(digest, hashing.count(), present);
            } catch (IOException e) {
                throw io("cannot store a blob", e);
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
}
