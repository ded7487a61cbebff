package dev.recast.registry.store;

import java.io.IOException;

/**
 * A registry's connection failed for good while a body was being read (resumes exhausted): the registry's problem,
 * not a local one, so it is reported as an upstream error.
 */
public final class RegistryConnectionException extends IOException {
    public RegistryConnectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
