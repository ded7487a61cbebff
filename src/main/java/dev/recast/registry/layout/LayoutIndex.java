package dev.recast.registry.layout;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.model.Descriptor;
import dev.recast.model.DescriptorJson;
import dev.recast.model.ImageJson;
import dev.recast.model.Index;
import dev.recast.model.MediaType;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * A layout's {@code index.json}: read as it is, and changed only under this JVM's lock and the file lock other
 * processes respect, then replaced atomically, so that concurrent writers never lose each other's tags.
 */
final class LayoutIndex {
    private static final Map<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();
    private final LayoutFiles files;
    private final Path file;

    LayoutIndex(LayoutFiles files) {
        this.files = files;
        this.file = files.root().resolve("index.json");
    }

    /** The entries, or none when the file does not exist yet (or a concurrent writer is creating it). */
    List<Descriptor> entries() {
        if (!Files.exists(file)) {
            return List.of();
        }
        String what = files.name() + "/index.json";
        try {
            ObjectNode json = ImageJson.readObject(Files.readAllBytes(file), what);
            var array = json.get("manifests");
            if (array == null || !array.isArray()) {
                throw new RecastException(ErrorKind.INVALID_IMAGE, what + " has no 'manifests' array");
            }
            List<Descriptor> out = new ArrayList<>();
            for (var node : array) {
                out.add(DescriptorJson.read(node, what + " entry"));
            }
            return out;
        } catch (IOException e) {
            throw files.io("cannot read index.json", e);
        }
    }

    /** Replaces the entries with what {@code change} makes of them, under both locks. */
    void update(UnaryOperator<List<Descriptor>> change) {
        underLock(() -> write(change.apply(new ArrayList<>(entries()))));
    }

    /** Creates an empty index.json unless there is one. */
    void ensureExists() {
        if (!Files.exists(file)) {
            underLock(() -> {
                if (!Files.exists(file)) {
                    write(List.of());
                }
            });
        }
    }

    private void write(List<Descriptor> entries) throws IOException {
        files.replaceAtomically(file, Index.create(MediaType.OCI_INDEX, null, entries, null, Map.of()).content().bytes());
    }

    private void underLock(Update update) {
        ReentrantLock threadLock = LOCKS.computeIfAbsent(files.root(), r -> new ReentrantLock());
        threadLock.lock();
        try (FileChannel lockFile = FileChannel.open(files.root().resolve("index.json.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = lockFile.lock()) {
            update.run();
        } catch (IOException e) {
            throw files.io("cannot update index.json", e);
        } finally {
            threadLock.unlock();
        }
    }

    @FunctionalInterface
    private interface Update {
        void run() throws IOException;
    }
}
