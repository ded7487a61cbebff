package dev.recast.verify;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.recast.model.Digest;

import java.util.List;

/**
 * What {@code recast verify} found: each check of a converted image against its provenance.
 *
 * @param provenance the provenance artifact checked against, or null when none was found
 */
public record VerificationReport(String target, Digest digest, Digest provenance, List<Check> checks) {

    public VerificationReport {
        checks = List.copyOf(checks);
    }

    /** True when no check failed. */
    @JsonProperty("verified")
    public boolean verified() {
        return !checks.isEmpty() && checks.stream().noneMatch(c -> c.status() == Status.FAILED);
    }

    public enum Status { PASSED, FAILED, SKIPPED }

    /**
     * One check.
     *
     * @param name   what was checked, e.g. {@code layer 2 sha256:…} or {@code linux/arm64 config}
     * @param detail what was found, or why it failed
     */
    public record Check(String name, Status status, String detail) {
        static Check passed(String name, String detail) {
            return new Check(name, Status.PASSED, detail);
        }

        static Check failed(String name, String detail) {
            return new Check(name, Status.FAILED, detail);
        }

        static Check skipped(String name, String detail) {
            return new Check(name, Status.SKIPPED, detail);
        }
    }
}
