package dev.recast.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.recast.ErrorKind;
import dev.recast.RecastException;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * An image platform as OCI indexes and image configs describe it. Values are kept as given;
 * {@link #normalized()} gives containerd's canonical spelling for comparisons.
 *
 * @param features Docker manifest lists' reserved {@code features} field, kept so lists convert losslessly
 */
public record Platform(String os, String architecture, String variant, String osVersion,
                       List<String> osFeatures, List<String> features) {

    public Platform {
        if (os == null || os.isBlank() || architecture == null || architecture.isBlank()) {
            throw new RecastException(ErrorKind.INVALID_IMAGE, "a platform needs os and architecture");
        }
        variant = blankToNull(variant);
        osVersion = blankToNull(osVersion);
        osFeatures = osFeatures == null ? List.of() : List.copyOf(osFeatures);
        features = features == null ? List.of() : List.copyOf(features);
    }

    public Platform(String os, String architecture, String variant) {
        this(os, architecture, variant, null, List.of(), List.of());
    }

    /** Parses {@code os/arch[/variant]}, e.g. {@code linux/arm64/v8}. */
    @JsonCreator
    public static Platform parse(String text) {
        String[] parts = text == null ? new String[0] : text.trim().split("/", -1);
        if (parts.length < 2 || parts.length > 3 || parts[0].isBlank() || parts[1].isBlank()
                || (parts.length == 3 && parts[2].isBlank())) {
            throw new RecastException(ErrorKind.BAD_REQUEST,
                    "invalid platform '" + text + "': expected os/architecture[/variant], e.g. linux/arm64/v8");
        }
        return new Platform(parts[0], parts[1], parts.length == 3 ? parts[2] : null);
    }

    /** containerd's canonical form: x86_64 → amd64, aarch64 → arm64 (default variant v8), armhf → arm/v7. */
    public Platform normalized() {
        String normOs = os.toLowerCase(Locale.ROOT);
        if (normOs.equals("macos")) {
            normOs = "darwin";
        }
        String arch = architecture.toLowerCase(Locale.ROOT);
        String var = variant == null ? null : variant.toLowerCase(Locale.ROOT);
        switch (arch) {
            case "i386" -> arch = "386";
            case "x86_64", "x86-64", "amd64" -> {
                arch = "amd64";
                if ("v1".equals(var)) {
                    var = null;
                }
            }
            case "aarch64", "arm64" -> {
                arch = "arm64";
                if (var == null || var.equals("8") || var.equals("v8.0")) {
                    var = "v8";
                }
            }
            case "armhf" -> {
                arch = "arm";
                var = "v7";
            }
            case "armel" -> {
                arch = "arm";
                var = "v6";
            }
            case "arm" -> {
                if (var == null || var.equals("7")) {
                    var = "v7";
                } else if (var.matches("[5-8]")) {
                    var = "v" + var;
                }
            }
            default -> { }
        }
        return new Platform(normOs, arch, var, osVersion, osFeatures, features);
    }

    /** True when this platform satisfies a wanted one; a wanted platform without variant accepts any variant. */
    public boolean matches(Platform wanted) {
        Platform have = normalized();
        Platform want = wanted.normalized();
        if (!have.os.equals(want.os) || !have.architecture.equals(want.architecture)) {
            return false;
        }
        return wanted.variant == null || Objects.equals(have.variant, want.variant);
    }

    /** True for the {@code unknown/unknown} entries BuildKit uses for attestations. */
    public boolean isUnknown() {
        return "unknown".equals(os) && "unknown".equals(architecture);
    }

    @JsonValue
    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null ? "" : "/" + variant);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
