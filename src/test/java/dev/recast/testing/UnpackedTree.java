package dev.recast.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The file tree an engine unpacked, read from its mount point: every path below the root with its type, mode
 * (permission, setuid/setgid/sticky bits), owner, size, content hash and symlink target. Files sharing an inode (hard
 * links) name the first of their paths in {@code sameAs}, so two trees compare equal only when the same names are
 * linked. Modification times are left out: engines set directory times as they unpack.
 */
public record UnpackedTree(SortedMap<String, Entry> entries) {

    /** {@code type}: d directory, f file, l symlink, o other. */
    public record Entry(char type, int mode, int uid, int gid, long size, String sha256, String link, String sameAs) {
    }

    /** Each path whose entry differs between this tree and {@code other}, with both entries; empty when alike. */
    public List<String> differences(UnpackedTree other) {
        SortedSet<String> paths = new TreeSet<>(entries.keySet());
        paths.addAll(other.entries.keySet());
        return paths.stream().filter(p -> !Objects.equals(entries.get(p), other.entries.get(p)))
                .map(p -> p + ": " + entries.get(p) + " vs " + other.entries.get(p)).toList();
    }

    /** This tree with every owner blanked (-1), for an engine known to lose owners. */
    public UnpackedTree withoutOwners() {
        SortedMap<String, Entry> blanked = new TreeMap<>();
        entries.forEach((path, e) -> blanked.put(path, new Entry(e.type(), e.mode(), -1, -1, e.size(), e.sha256(), e.link(), e.sameAs())));
        return new UnpackedTree(blanked);
    }

    public static UnpackedTree read(Path root) {
        Map<Object, String> firstNameOfInode = new HashMap<>();
        SortedMap<String, Path> paths = new TreeMap<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                    if (!dir.equals(root)) {
                        paths.put(root.relativize(dir).toString(), dir);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    paths.put(root.relativize(file).toString(), file);
                    return FileVisitResult.CONTINUE;
                }
            });
            SortedMap<String, Entry> entries = new TreeMap<>();
            for (var named : paths.entrySet()) {
                entries.put(named.getKey(), entry(named.getKey(), named.getValue(), firstNameOfInode));
            }
            return new UnpackedTree(entries);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the unpacked tree at " + root, e);
        }
    }

    private static Entry entry(String name, Path path, Map<Object, String> firstNameOfInode) throws IOException {
        Map<String, Object> unix = Files.readAttributes(path, "unix:mode,uid,gid,size,ino,nlink,isDirectory,"
                + "isRegularFile,isSymbolicLink", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) unix.get("mode") & 07777;
        int uid = (Integer) unix.get("uid");
        int gid = (Integer) unix.get("gid");
        if ((Boolean) unix.get("isDirectory")) {
            return new Entry('d', mode, uid, gid, 0, null, null, null);
        }
        if ((Boolean) unix.get("isSymbolicLink")) {
            return new Entry('l', mode, uid, gid, 0, null, Files.readSymbolicLink(path).toString(), null);
        }
        if (!(Boolean) unix.get("isRegularFile")) {
            return new Entry('o', mode, uid, gid, 0, null, null, null);
        }
        // paths arrive sorted, so the first name of an inode is the same whichever engine unpacked it
        String sameAs = (Integer) unix.get("nlink") > 1 ? firstNameOfInode.putIfAbsent(unix.get("ino"), name) : null;
        return new Entry('f', mode, uid, gid, (Long) unix.get("size"), sha256(path), null, sameAs);
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
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
