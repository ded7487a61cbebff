package dev.recast.testing;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Builds layer tars in memory for tests: files, directories, links and whiteouts, with fixed metadata. */
public final class TarBuilder {
    private static final long EPOCH_MILLIS = 1_700_000_000_000L;
    private final List<Consumer<TarArchiveOutputStream>> entries = new ArrayList<>();

    public TarBuilder dir(String name) {
        return entry(name + "/", TarConstants.LF_DIR, 0755, null, null);
    }

    public TarBuilder file(String name, String content) {
        return file(name, content.getBytes(StandardCharsets.UTF_8), 0644);
    }

    public TarBuilder file(String name, byte[] content, int mode) {
        return entry(name, TarConstants.LF_NORMAL, mode, null, content);
    }

    public TarBuilder symlink(String name, String target) {
        return entry(name, TarConstants.LF_SYMLINK, 0777, target, null);
    }

    public TarBuilder hardlink(String name, String target) {
        return entry(name, TarConstants.LF_LINK, 0644, target, null);
    }

    /** Deletes {@code dir/name} of lower layers. */
    public TarBuilder whiteout(String dir, String name) {
        return file(dir + "/.wh." + name, new byte[0], 0644);
    }

    /** Hides everything lower layers put in {@code dir}. */
    public TarBuilder opaque(String dir) {
        return file(dir + "/.wh..wh..opq", new byte[0], 0644);
    }

    private TarBuilder entry(String name, byte type, int mode, String link, byte[] content) {
        entries.add(out -> {
            TarArchiveEntry entry = new TarArchiveEntry(name, type);
            entry.setMode(mode | (type == TarConstants.LF_DIR ? 040000 : type == TarConstants.LF_SYMLINK ? 0120000 : 0100000));
            entry.setModTime(EPOCH_MILLIS);
            entry.setUserId(0);
            entry.setGroupId(0);
            if (link != null) {
                entry.setLinkName(link);
            }
            if (content != null) {
                entry.setSize(content.length);
            }
            try {
                out.putArchiveEntry(entry);
                if (content != null) {
                    out.write(content);
                }
                out.closeArchiveEntry();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return this;
    }

    public byte[] build() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            entries.forEach(entry -> entry.accept(out));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
