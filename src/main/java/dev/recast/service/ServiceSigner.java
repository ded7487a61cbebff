package dev.recast.service;

import dev.recast.convert.ConversionReport;
import dev.recast.registry.store.StoreFactory;
import dev.recast.sign.CosignSigner;
import dev.recast.sign.SigningKey;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The service's signer, when {@code recast.signing.key-file} names a key: read once, at start, so that a bad key
 * stops the service from starting rather than failing conversions. The key's path is configuration, never a request
 * field: a caller cannot choose which key signs.
 */
@ApplicationScoped
public class ServiceSigner {
    private final Optional<CosignSigner> signer;

    public ServiceSigner(RecastConfig config) {
        this.signer = config.signing().keyFile().map(file -> new CosignSigner(SigningKey.read(Path.of(file))));
    }

    void readKeyAtStart(@Observes StartupEvent event) {
        // the constructor has read the key by now: observing start-up creates this bean then
    }

    /** {@code report} signed as cosign would sign it, when a key is configured. */
    public ConversionReport signed(StoreFactory stores, ConversionReport report) {
        return signer.map(s -> s.signed(stores, report)).orElse(report);
    }
}
