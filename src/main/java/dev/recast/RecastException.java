package dev.recast;

import java.util.Optional;

/**
 * Every failure Recast reports: what went wrong ({@link ErrorKind}), on which image and which layer.
 * Adapters map the kind to their own vocabulary (HTTP status, exit code). The bottom of the package graph: the layer
 * is kept as its digest's text, so that {@code model} (which throws this) is not imported back.
 */
public class RecastException extends RuntimeException {
    private final ErrorKind kind;
    private final String image;
    private final String layer;
    private final RegistryError registryError;

    public RecastException(ErrorKind kind, String message) {
        this(kind, message, null, null, null);
    }

    public RecastException(ErrorKind kind, String message, Throwable cause) {
        this(kind, message, null, null, cause);
    }

    public RecastException(ErrorKind kind, String message, String image, String layer, Throwable cause) {
        this(kind, message, image, layer, cause, null);
    }

    /** A failure a registry reported in its answer; {@code registryError} says which. */
    public RecastException(ErrorKind kind, String message, RegistryError registryError) {
        this(kind, message, null, null, null, registryError);
    }

    private RecastException(ErrorKind kind, String message, String image, String layer, Throwable cause,
                            RegistryError registryError) {
        super(message, cause);
        this.kind = kind;
        this.image = image;
        this.layer = layer;
        this.registryError = registryError;
    }

    public ErrorKind kind() {
        return kind;
    }

    /** The image reference the failure concerns, or null when none is known. */
    public String image() {
        return image;
    }

    /** The digest of the layer (blob) the failure concerns, or null. */
    public String layer() {
        return layer;
    }

    /** What the registry answered, when this failure is a registry's refusal (not a lost connection). */
    public Optional<RegistryError> registryError() {
        return Optional.ofNullable(registryError);
    }

    /** Whether a registry refused with this distribution-spec error code. */
    public boolean isRegistryError(RegistryError.Code code) {
        return registryError != null && registryError.is(code);
    }

    /** A registry's refusal that another writer of the same manifest caused (see {@link RegistryError}). */
    public boolean isRaceWithAnotherWriter() {
        return registryError != null && registryError.isRaceWithAnotherWriter();
    }

    /** The same failure, naming the image and layer where this one did not yet. */
    public RecastException in(String image, String layer) {
        if ((this.image != null || image == null) && (this.layer != null || layer == null)) {
            return this;
        }
        RecastException withContext = new RecastException(kind, super.getMessage(),
                this.image != null ? this.image : image, this.layer != null ? this.layer : layer, getCause(),
                registryError);
        withContext.setStackTrace(getStackTrace());
        return withContext;
    }

    /** The bare cause, without the image and layer (those are in {@link #getMessage()}). */
    public String detail() {
        return super.getMessage();
    }

    @Override
    public String getMessage() {
        StringBuilder text = new StringBuilder(super.getMessage());
        if (image != null) {
            text.append(" [image ").append(image);
            if (layer != null) {
                text.append(", layer ").append(layer);
            }
            text.append(']');
        } else if (layer != null) {
            text.append(" [layer ").append(layer).append(']');
        }
        return text.toString();
    }
}
