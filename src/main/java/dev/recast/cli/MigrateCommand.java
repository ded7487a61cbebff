package dev.recast.cli;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.migrate.Migration;
import dev.recast.migrate.MigrationReport;
import dev.recast.migrate.MigrationRequest;
import dev.recast.service.Engine;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** {@code recast migrate REGISTRY …}: converts the images of a whole registry and reports per repository. */
final class MigrateCommand {

    private MigrateCommand() {
    }

    static int run(Arguments arguments, PrintStream out) {
        if (arguments.positional().size() != 1) {
            throw new UsageException("migrate needs one REGISTRY ([docker://]HOST[:PORT]), got "
                    + arguments.positional().size() + " argument(s)");
        }
        Arguments.Migrate options = arguments.migrate();
        if (options.csv() && arguments.json()) {
            throw new UsageException("--json and --csv are two forms of one report: choose one");
        }
        String registry = MigrationRequest.registryHost(arguments.positional().getFirst());
        MigrationRequest request = new MigrationRequest(registry, options.repositories(), tagPattern(options.tag()),
                options.latest(), options.target(), listed(options.repositoriesFrom()), options.concurrency(),
                options.pageSize(), arguments.options());
        MigrationReport report;
        try (Engine engine = RecastMain.engine(arguments, List.of(registry), registry)) {
            report = new Migration(engine).run(request);
        }
        if (arguments.json()) {
            out.println(RecastMain.json(report));
        } else if (options.csv()) {
            MigrationTable.printCsv(report, out);
        } else {
            MigrationTable.print(report, out);
        }
        if (options.html() != null) {
            writePage(Path.of(options.html()), report);
        }
        return report.failures().isEmpty() ? RecastMain.OK : RecastMain.FAILED;
    }

    private static void writePage(Path file, MigrationReport report) {
        try {
            Files.writeString(file, MigrationPage.render(report));
        } catch (IOException e) {
            throw new RecastException(ErrorKind.IO, "cannot write the HTML report " + file + ": " + e.getMessage(), e);
        }
    }

    private static Pattern tagPattern(String regex) {
        try {
            return regex == null ? null : Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new UsageException("--tag needs a regular expression: " + e.getDescription());
        }
    }

    /** One repository a line; blank lines and lines starting with '#' are skipped. */
    private static List<String> listed(String file) {
        if (file == null) {
            return null;
        }
        try (var lines = Files.lines(Path.of(file))) {
            return lines.map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        } catch (IOException e) {
            throw new RecastException(ErrorKind.IO, "cannot read the repository list " + file + ": " + e.getMessage(), e);
        }
    }
}
