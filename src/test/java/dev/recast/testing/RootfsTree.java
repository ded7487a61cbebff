package dev.recast.testing;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The file tree an image unpacks to: layers applied in order with OCI whiteouts ({@code .wh.NAME} deletes,
 * {@code .wh..wh..opq} empties a directory). Each path maps to its type, mode, owner, link target and content hash.
 */
public final class RootfsTree {
    public record Entry(char type, int mode, long uid, long gid, String link, String sha256) {
    }

    private final TreeMap<String, Entry> entries = new TreeMap<>();

    public Map<String, Entry> entries() {
        return entries;
    }

    /** Applies one uncompressed layer tar. */
    public void apply(InputStream tar) throws IOException {
        TarArchiveInputStream in = new TarArchiveInputStream(tar);
        TarArchiveEntry entry;
        while ((entry = in.getNextEntry()) != null) {
            String path = clean(entry.getName());
            String parent = path.contains("/") ? path.substring(0, path.lastIndexOf('/')) : "";
            String base = path.substring(path.lastIndexOf('/') + 1);
            if (base.equals(".wh..wh..opq")) {
                removeChildren(parent);
                continue;
            }
            if (base.startsWith(".wh.")) {
                String victim = (parent.isEmpty() ? "" : parent + "/") + base.substring(4);
                entries.remove(victim);
                removeChildren(victim);
                continue;
            }
            char type = entry.isDirectory() ? 'd' : entry.isSymbolicLink() ? 'l' : entry.isLink() ? 'h' : 'f';
            if (type != 'd') {
                removeChildren(path);
            }
            String link = type == 'l' || type == 'h' ? entry.getLinkName() : null;
            String hash = type == 'f' ? sha256(in) : null;
            entries.put(path, new Entry(type, entry.getMode() & 07777, entry.getLongUserId(), entry.getLongGroupId(), link, hash));
        }
    }

    private void removeChildren(String dir) {
        String prefix = dir.isEmpty() ? "" : dir + "/";
        entries.keySet().removeIf(p -> p.startsWith(prefix) && !p.equals(dir));
    }

    private static String clean(String name) {
        String path = name;
        while (path.startsWith("./") || path.startsWith("/")) {
            path = path.startsWith("./") ? path.substring(2) : path.substring(1);
        }
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return path;
    }

    private static String sha256(InputStream in) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
