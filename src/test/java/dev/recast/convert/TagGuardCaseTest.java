package dev.recast.convert;

import dev.recast.model.Content;
import dev.recast.model.MediaType;
import dev.recast.registry.reference.ImageReference;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** In-place detection must not be escaped by spelling the registry host in another case. */
class TagGuardCaseTest {
    private static final Content SOURCE = Content.of(MediaType.DOCKER_MANIFEST, "{}".getBytes(StandardCharsets.UTF_8));

    @Test
    void aTargetDifferingOnlyInHostCaseIsInPlace() {
        ImageReference source = ImageReference.parse("Registry.Example.com/app:v1");
        ImageReference target = ImageReference.parse("registry.example.com/app:v1");
        assertTrue(TagGuard.forInPlace(source, target, SOURCE, Optional.of(SOURCE)).isPresent());
        assertTrue(TagGuard.forInPlace(target, source, SOURCE, Optional.of(SOURCE)).isPresent());
    }
}
