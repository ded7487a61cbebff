package dev.recast.registry.http;

import java.util.Optional;

/** Finds credentials for a registry host. */
@FunctionalInterface
public interface CredentialSource {
    Optional<Credentials> lookup(String registry);

    static CredentialSource none() {
        return registry -> Optional.empty();
    }

    /** This source first, then the other. */
    default CredentialSource orElse(CredentialSource other) {
        return registry -> lookup(registry).or(() -> other.lookup(registry));
    }
}
