package dev.recast.registry.reference;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ImageReferenceTest {

    @ParameterizedTest
    @CsvSource({
            "ubuntu, registry-1.docker.io, library/ubuntu, latest",
            "docker://ubuntu:22.04, registry-1.docker.io, library/ubuntu, 22.04",
            "docker.io/team/app:v1, registry-1.docker.io, team/app, v1",
            "index.docker.io/library/alpine, registry-1.docker.io, library/alpine, latest",
            "127.0.0.1:5000/fixtures/hello:v2s2, 127.0.0.1:5000, fixtures/hello, v2s2",
            "docker://localhost/app, localhost, app, latest",
            "localhost:5000/a/b/c:t, localhost:5000, a/b/c, t",
            "ghcr.io/org/img-name_x.y:1.0-rc, ghcr.io, org/img-name_x.y, 1.0-rc",
            "team/app, registry-1.docker.io, team/app, latest",
            // hosts are case-insensitive: one spelling, so that equal references compare equal
            "Registry.Example.com/app:v1, registry.example.com, app, v1",
            "Docker.IO/team/app:v1, registry-1.docker.io, team/app, v1"})
    void registryReferencesNormaliseLikeDocker(String text, String registry, String repository, String tag) {
        RegistryReference ref = assertInstanceOf(RegistryReference.class, ImageReference.parse(text));
        assertEquals(registry, ref.registry());
        assertEquals(repository, ref.repository());
        assertEquals(tag, ref.tag());
    }

    @Test
    void hostsDifferingInCaseNameTheSameImage() {
        assertEquals(RegistryReference.parse("registry.example.com/app:v1"),
                RegistryReference.parse("Registry.Example.COM/app:v1"));
        assertEquals(new RegistryReference("reg.example", "app", "v1", null),
                new RegistryReference("REG.Example", "app", "v1", null));
    }

    @Test
    void digestWinsOverTag() {
        String digest = "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";
        RegistryReference ref = RegistryReference.parse("reg.example:443/app:v1@" + digest);
        assertEquals("v1", ref.tag());
        assertEquals(digest, ref.reference());
        RegistryReference bare = RegistryReference.parse("reg.example/app@" + digest);
        assertNull(bare.tag());
        assertEquals("reg.example/app@" + digest, bare.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Host.example/UPPER:tag", "reg.example/app:bad tag", "reg.example/app:" + "t",
            "reg.example/app@sha256:123", "reg.example//app", "reg.example/app:-x", "docker-daemon:app:1",
            "reg.example/app/", "reg.example/a..b"})
    void badReferencesAreRefusedClearly(String text) {
        if (text.equals("reg.example/app:t")) {
            assertEquals("t", RegistryReference.parse(text).tag());
            return;
        }
        RecastException error = assertThrows(RecastException.class, () -> ImageReference.parse(text));
        assertEquals(ErrorKind.BAD_REQUEST, error.kind());
    }

    @Test
    void layoutReferencesSplitAtTheFirstColon() {
        LayoutReference tagged = assertInstanceOf(LayoutReference.class, ImageReference.parse("oci:/tmp/x:v1"));
        assertEquals(Path.of("/tmp/x"), tagged.directory());
        assertEquals("v1", tagged.tag());
        String digest = "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";
        LayoutReference pinned = LayoutReference.parse("oci:/tmp/x:" + digest);
        assertEquals(digest, pinned.reference());
        LayoutReference bare = LayoutReference.parse("oci:relative/dir");
        assertNull(bare.reference());
        assertEquals("oci:/tmp/x:v2", tagged.withTag("v2").toString());
        assertThrows(RecastException.class, () -> ImageReference.parse("oci::v1"));
        assertThrows(RecastException.class, () -> ImageReference.parse("oci:/tmp/x:bad tag"));
    }
}
