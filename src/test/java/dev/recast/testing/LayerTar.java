package dev.recast.testing;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * One layer tar with the metadata real images carry (owners, setuid and odd modes, hard links, whiteouts), written as
 * entries are added. Long names go out as PAX headers or, with {@link #gnuLongNames()}, as GNU {@code ././@LongLink}
 * entries: engines must read both.
 */
public final class LayerTar {
    private static final long MTIME_MILLIS = 1_700_000_000_000L;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarArchiveOutputStream out = new TarArchiveOutputStream(bytes);

    public LayerTar() {
        out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    public LayerTar gnuLongNames() {
        out.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
        return this;
    }

    public LayerTar dir(String name, int mode, int uid, int gid) {
        return entry(name + "/", TarConstants.LF_DIR, 040000 | mode, uid, gid, null, null);
    }

    public LayerTar dir(String name) {
        return dir(name, 0755, 0, 0);
    }

    public LayerTar file(String name, byte[] content, int mode, int uid, int gid) {
        return entry(name, TarConstants.LF_NORMAL, 0100000 | mode, uid, gid, null, content);
    }

    public LayerTar file(String name, byte[] content, int mode) {
        return file(name, content, mode, 0, 0);
    }

    public LayerTar file(String name, String content) {
        return file(name, content.getBytes(StandardCharsets.UTF_8), 0644, 0, 0);
    }

    public LayerTar symlink(String name, String target) {
        return entry(name, TarConstants.LF_SYMLINK, 0120777, 0, 0, target, null);
    }

    /** {@code name} becomes a second name of {@code target}, which an earlier entry of this tar wrote. */
    public LayerTar hardlink(String name, String target) {
        return entry(name, TarConstants.LF_LINK, 0100644, 0, 0, target, null);
    }

    /** Deletes {@code path} (and all under it) of lower layers. */
    public LayerTar whiteout(String path) {
        int slash = path.lastIndexOf('/');
        return file(path.substring(0, slash + 1) + ".wh." + path.substring(slash + 1), new byte[0], 0644, 0, 0);
    }

    /** Hides everything lower layers put in {@code dir}. */
    public LayerTar opaque(String dir) {
        return file(dir + "/.wh..wh..opq", new byte[0], 0644, 0, 0);
    }

    private LayerTar entry(String name, byte type, int mode, int uid, int gid, String link, byte[] content) {
        TarArchiveEntry entry = new TarArchiveEntry(name, type);
        entry.setMode(mode);
        entry.setModTime(MTIME_MILLIS);
        entry.setUserId(uid);
        entry.setGroupId(gid);
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
        return this;
    }

    public byte[] build() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
