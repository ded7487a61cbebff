package dev.recast.migrate;

import dev.recast.convert.ConversionOptions;
import dev.recast.registry.http.CredentialSource;
import dev.recast.registry.http.RegistrySettings;
import dev.recast.service.Engine;
import dev.recast.service.EngineBuilder;
import dev.recast.testing.LabRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A migration whose listener fails (a streaming client gone) starts no further image. */
@Tag("registry")
class MigrationStopTest {
    private final LabRegistry lab = LabRegistry.plain();

    @Test
    void aFailingListenerStopsTheMigrationBeforeTheRemainingImages() {
        String repository = "stop-" + UUID.randomUUID().toString().substring(0, 8) + "/app";
        List<String> tags = List.of("v1", "v2", "v3", "v4", "v5");
        for (String tag : tags) {
            LabRegistry.copy(lab.host() + "/fixtures/hello:v2s2", lab.host() + "/" + repository + ":" + tag);
        }
        MigrationRequest request = new MigrationRequest(lab.host(), List.of(repository), null, null, null, null, 1, 10,
                ConversionOptions.DEFAULT);
        AtomicInteger told = new AtomicInteger();
        try (Engine engine = new EngineBuilder().registries(RegistrySettings.defaults()
                .withCredentials(CredentialSource.none())).build()) {
            assertThrows(UncheckedIOException.class, () -> new Migration(engine).run(request, result -> {
                told.incrementAndGet();
                throw new UncheckedIOException("the client went away", new IOException("closed"));
            }));
        }
        assertEquals(1, told.get(), "one image finished, no other started");
        assertEquals(6, lab.imageTags(repository).size(), "five sources and one conversion: " + lab.tags(repository));
    }
}
