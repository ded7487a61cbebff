package dev.recast.cli;

import dev.recast.provenance.ProvenanceFinder;
import dev.recast.registry.reference.ImageReference;
import dev.recast.registry.reference.RegistryReference;
import dev.recast.registry.referrers.ReferrerDiscovery;
import dev.recast.service.Engine;
import dev.recast.verify.ImageVerifier;
import dev.recast.verify.VerificationReport;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/** {@code recast verify TARGET}: re-checks a converted image against its provenance; exit 1 when a check fails. */
final class VerifyCommand {

    private VerifyCommand() {
    }

    static int run(Arguments arguments, PrintStream out) {
        if (arguments.positional().size() != 1) {
            throw new UsageException("verify needs one TARGET, got " + arguments.positional().size() + " argument(s)");
        }
        ImageReference target = ImageReference.parse(arguments.positional().getFirst());
        String registry = target instanceof RegistryReference r ? r.registry() : null;
        VerificationReport report;
        // the source host is only known from the provenance: --creds or docker's config.json apply to it
        try (Engine engine = RecastMain.engine(arguments, List.of(), registry)) {
            report = new ImageVerifier(engine.stores(), new ProvenanceFinder(new ReferrerDiscovery()),
                    engine.converter().limits()).verify(target);
        }
        if (arguments.json()) {
            out.println(RecastMain.json(report));
        } else {
            print(report, out);
        }
        return report.verified() ? RecastMain.OK : RecastMain.FAILED;
    }

    private static void print(VerificationReport report, PrintStream out) {
        out.println(report.target() + " " + report.digest());
        out.println("provenance: " + (report.provenance() == null ? "none" : report.provenance()));
        int width = report.checks().stream().mapToInt(c -> c.name().length()).max().orElse(5);
        for (VerificationReport.Check check : report.checks()) {
            out.printf("  %-6s  %-" + width + "s  %s%n", check.status().name().toLowerCase(Locale.ROOT), check.name(),
                    check.detail());
        }
        out.println(report.verified() ? "verified" : "NOT verified: "
                + report.checks().stream().filter(c -> c.status() == VerificationReport.Status.FAILED).count()
                + " check(s) failed");
    }
}
