package dev.recast.engines;

import dev.recast.testing.ExternalTools;
import dev.recast.testing.UnpackedTree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The engine tests compare trees with {@link UnpackedTree}: it must see every difference they claim to check. */
class UnpackedTreeTest {

    @Test
    void readsTypesModesContentsLinksAndHardLinkGroups(@TempDir Path dir) throws IOException {
        UnpackedTree tree = UnpackedTree.read(sample(dir.resolve("a")));

        assertEquals(List.of("bin", "bin/sh", "bin/tool", "bin/tool-too", "secret"), List.copyOf(tree.entries().keySet()));
        int uid = (Integer) Files.getAttribute(dir, "unix:uid");
        int gid = (Integer) Files.getAttribute(dir, "unix:gid");
        assertEquals(new UnpackedTree.Entry('d', 0700, uid, gid, 0, null, null, null), tree.entries().get("secret"));
        assertEquals(04755, tree.entries().get("bin/tool").mode());
        assertEquals(4, tree.entries().get("bin/tool").size());
        assertEquals(EngineChecks.sha256("echo"), tree.entries().get("bin/tool").sha256());
        assertEquals("bin/tool", tree.entries().get("bin/tool-too").sameAs(), "a second name of the same inode");
        assertEquals("tool", tree.entries().get("bin/sh").link());
    }

    @Test
    void seesACopyWhereAHardLinkWasAModeAndAContentChange(@TempDir Path dir) throws IOException {
        UnpackedTree original = UnpackedTree.read(sample(dir.resolve("a")));
        Path changed = sample(dir.resolve("b"));
        Files.delete(changed.resolve("bin/tool-too"));
        Files.writeString(changed.resolve("bin/tool-too"), "echo");
        ExternalTools.check("chmod", "0755", changed.resolve("bin/tool").toString());
        Files.writeString(changed.resolve("bin/extra"), "");

        assertEquals(List.of("bin/extra", "bin/tool", "bin/tool-too"),
                original.differences(UnpackedTree.read(changed)).stream().map(d -> d.substring(0, d.indexOf(':'))).toList());
        assertEquals(List.of(), original.differences(UnpackedTree.read(sample(dir.resolve("c")))));
    }

    @Test
    void blanksOwnersOnlyWhenAsked() {
        UnpackedTree root = new UnpackedTree(new TreeMap<>(Map.of("owned", new UnpackedTree.Entry('f', 0640, 0, 0, 1, "ab", null, null))));
        UnpackedTree user = new UnpackedTree(new TreeMap<>(Map.of("owned", new UnpackedTree.Entry('f', 0640, 1000, 1000, 1, "ab", null, null))));

        assertEquals(1, root.differences(user).size(), "owners count");
        assertEquals(List.of(), root.withoutOwners().differences(user.withoutOwners()));
    }

    private static Path sample(Path root) throws IOException {
        Files.createDirectories(root.resolve("bin"));
        Files.writeString(root.resolve("bin/tool"), "echo");
        ExternalTools.check("chmod", "04755", root.resolve("bin/tool").toString());
        Files.createLink(root.resolve("bin/tool-too"), root.resolve("bin/tool"));
        Files.createSymbolicLink(root.resolve("bin/sh"), Path.of("tool"));
        Files.createDirectories(root.resolve("secret"));
        ExternalTools.check("chmod", "0700", root.resolve("secret").toString());
        return root;
    }
}
