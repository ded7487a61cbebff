package dev.recast.registry.layout;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.model.Content;
import dev.recast.model.Descriptor;
import dev.recast.model.Digest;
import dev.recast.model.MediaType;
import dev.recast.registry.store.BlobWriter;
import dev.recast.registry.store.ImageStore;
import dev.recast.stream.VerifyingInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An OCI image layout directory ({@code oci-layout}, {@code index.json}, {@code blobs/ALG/HEX}). Blobs are written to
 * a temporary file and moved into place only when their digest checks; {@code index.json} is replaced atomically
 * under a lock, so concurrent writers (threads or processes) never lose each other's tags.
 */
public final class OciLayoutStore implements ImageStore {
    public static final String REF_NAME = "org.opencontainers.image.ref.name";
    private final LayoutFiles files;
    private final LayoutIndex index;
    private final long manifestLimit;

    public OciLayoutStore(Path root, long manifestLimit) {
        this.files = new LayoutFiles(root.toAbsolutePath().normalize());
        this.index = new LayoutIndex(files);
        this.manifestLimit = manifestLimit;
    }

    @Override
    public String name() {
        return files.name();
    }

    public Path root() {
        return files.root();
    }

    @Override
    public Optional<Content> findManifest(String reference) {
        List<Descriptor> entries = index.entries();
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
        return new LayoutBlobWriter(files);
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
        index.update(entries -> {
            entries.removeIf(d -> tag != null && tag.equals(d.annotations().get(REF_NAME)));
            Map<String, String> annotations = tag == null ? Map.of() : Map.of(REF_NAME, tag);
            entries.add(manifest.descriptor().withAnnotations(annotations));
            return entries;
        });
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
        return files.blobPath(digest);
    }

    private void ensureLayout() {
        try {
            Files.createDirectories(files.root().resolve("blobs"));
            Path marker = files.root().resolve("oci-layout");
            if (!Files.exists(marker)) {
                files.replaceAtomically(marker, "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
            }
            index.ensureExists();
        } catch (IOException e) {
            throw io("cannot create the layout", e);
        }
    }

    private RecastException io(String what, IOException e) {
        return files.io(what, e);
    }
}
