package dev.recast.engines;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recast.testing.BusyboxImage;
import dev.recast.testing.ChunkedTableOfContents;
import dev.recast.testing.UnpackedTree;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Assertions on what an engine made of the busybox image and of its conversions. */
final class EngineChecks {

    private EngineChecks() {
    }

    /** The converted image ran with the same output and unpacked to the same tree as the gzip original. */
    static void assertAlike(EngineLab.Seen original, EngineLab.Seen converted, String what) {
        assertEquals(original.output(), converted.output(), what + ": the entrypoint's output");
        List<String> differences = original.tree().differences(converted.tree());
        assertEquals(List.of(), differences, what + ": paths unpacked differently (original vs converted)");
    }

    /**
     * As {@link #assertAlike}, owners aside: podman 4.3's partial pull of its own zstd:chunked push makes every file
     * root's, although that table of contents records uid and gid 1000, under the keys "uid" and "gid"; this reader
     * takes "UID" and "GID" (Recast writes both, and podman keeps the owners of Recast's zstd:chunked images: see
     * EngineVariantsTest). Everything else must match.
     */
    static void assertAlikeButOwners(EngineLab.Seen original, EngineLab.Seen partiallyPulled, String what) {
        assertEquals(withoutOwners(original.output()), withoutOwners(partiallyPulled.output()), what + ": the entrypoint's output");
        assertEquals(List.of(), original.tree().withoutOwners().differences(partiallyPulled.tree().withoutOwners()),
                what + ": paths unpacked differently (original vs converted), owners aside");
    }

    /**
     * The owners a partial pull should apply, as the zstd:chunked layers' tables of contents (at the position this
     * podman reads) record them.
     */
    static void assertOwnersInTablesOfContents(EngineLab lab, String repository, JsonNode manifest) {
        Map<String, String> owners = new HashMap<>();
        manifest.path("layers").forEach(layer -> owners.putAll(ChunkedTableOfContents.owners(lab.registry, repository,
                layer, "io.containers.zstd-chunked.manifest-position")));
        assertEquals(List.of("1000:1000", "1000:1000", "0:1000", "0:0"), List.of(owners.get("data/owned"),
                        owners.get("data/private"), owners.get("data/shared"), owners.get("bin/busybox")),
                "owners in the tables of contents of " + repository);
    }

    /** The entrypoint prints owners as "UID:GID " (stat -c '%a %u:%g %h %n'). */
    private static String withoutOwners(String output) {
        return output.replaceAll("(?m)^(\\d+) \\d+:\\d+ ", "$1 owner ");
    }

    /**
     * The original unpacked with every trick of its layers applied, so that comparing a conversion with it means
     * something: a tree without the setuid bit, or with a whiteout file left in, would compare equal to a conversion
     * that loses the same thing.
     */
    static void assertEveryTrickApplied(EngineLab.Seen seen, String engine) {
        Map<String, UnpackedTree.Entry> tree = seen.tree().entries();
        String where = engine + " unpacked ";
        assertFalse(tree.containsKey("data/gone"), where + "a whited-out file");
        assertFalse(tree.containsKey("data/gone-dir") || tree.containsKey("data/gone-dir/inner"), where + "a whited-out dir");
        assertEquals(List.of("data/opaque/new"), tree.keySet().stream().filter(p -> p.startsWith("data/opaque/")).toList(),
                where + "an opaque dir's lower content");
        assertTrue(tree.keySet().stream().noneMatch(p -> p.contains(".wh.")), where + "whiteout markers as files");
        assertEntry(tree, "bin/su-tool", 'f', 04755, 0, 0, engine);
        assertEntry(tree, "data/owned", 'f', 0640, 1000, 1000, engine);
        assertEntry(tree, "data/private", 'd', 0700, 1000, 1000, engine);
        assertEntry(tree, "data/readonly", 'd', 0555, 0, 0, engine);
        assertEntry(tree, "data/sticky", 'd', 01777, 0, 0, engine);
        assertEntry(tree, "data/shared", 'd', 02775, 0, 1000, engine);
        assertEntry(tree, "tmp", 'd', 01777, 0, 0, engine);
        assertEquals("data/hard-a", tree.get("data/hard-b").sameAs(), where + "the hard link as a copy");
        assertEquals('f', tree.get(BusyboxImage.LONG_NAME).type(), where + "the PAX long name wrong");
        assertEquals('f', tree.get(BusyboxImage.GNU_LONG_NAME).type(), where + "the GNU long name wrong");
        assertEquals("/" + BusyboxImage.GNU_LONG_NAME, tree.get("data/long-link").link(), where + "a long link target wrong");
        assertEquals("busybox", tree.get("bin/sh").link(), where + "a symlink wrong");
        assertEquals(sha256("keep v2 (a later layer wins)\n"), tree.get("data/keep").sha256(), where + "layers out of order");
        for (String line : List.of("keep v2 (a later layer wins)", "opaque dir, new content", ". .. new", "gone-is-gone",
                "gone-dir-is-gone", "4755 0:0 1 /bin/su-tool", "640 1000:1000 1 owned", "644 0:0 2 hard-b",
                "PAX long name", "GNU long name", "linux/amd64")) {
            assertTrue(seen.output().contains(line), engine + " ran the image: '" + line + "' missing from:\n" + seen.output());
        }
    }

    private static void assertEntry(Map<String, UnpackedTree.Entry> tree, String path, char type, int mode, int uid, int gid,
                                    String engine) {
        UnpackedTree.Entry entry = tree.get(path);
        assertTrue(entry != null, engine + " did not unpack " + path);
        assertEquals(List.of(type, Integer.toOctalString(mode), uid, gid),
                List.of(entry.type(), Integer.toOctalString(entry.mode()), entry.uid(), entry.gid()),
                engine + ": type, mode, owner of " + path);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
