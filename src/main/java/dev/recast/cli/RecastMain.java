package dev.recast.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.recast.RecastException;
import dev.recast.convert.ConversionReport;
import dev.recast.index.IndexReport;
import dev.recast.index.IndexRequest;
import dev.recast.index.IndexSource;
import dev.recast.model.Platform;
import dev.recast.registry.http.CredentialSource;
import dev.recast.registry.http.Credentials;
import dev.recast.registry.http.DockerConfigCredentials;
import dev.recast.registry.http.RegistrySettings;
import dev.recast.registry.reference.ImageReference;
import dev.recast.registry.reference.RegistryReference;
import dev.recast.service.Engine;
import dev.recast.service.EngineBuilder;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code recast} command. Only {@code serve} boots Quarkus; every other command runs the engine directly, so a
 * CLI run starts fast and never binds the service port.
 */
@QuarkusMain
public final class RecastMain {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    private static final String USAGE_TEXT = """
            usage: recast convert SOURCE TARGET [--compression zstd|gzip|none] [--level N]
                                  [--platform OS/ARCH[/VARIANT]]... [--dry-run] [--json]
                   recast index TARGET SOURCE[=OS/ARCH[/VARIANT]]... [--convert [--compression C] [--level N]]
                                  [--replace] [--append] [--annotation KEY=VALUE]... [--dry-run] [--json]
                   recast serve
            layer cache:      [--cache-repository REPO (default recast-cache)] [--no-cache]
            registry options: [--creds USER:PASS] [--src-creds USER:PASS] [--dest-creds USER:PASS]
                              [--insecure HOST[:PORT]]...
            references: oci:DIR[:TAG] or [docker://]HOST[:PORT]/REPOSITORY[:TAG][@DIGEST]""";

    RecastMain() {
    }

    public static void main(String... args) {
        // The JDK's HTTP client logs through java.util.logging: route it to Quarkus's log manager before first use.
        System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        // A native Lambda starts this binary without arguments: it serves the function, as "serve" does.
        boolean inLambda = args.length == 0 && System.getenv("AWS_LAMBDA_RUNTIME_API") != null;
        if (inLambda || (args.length > 0 && args[0].equals("serve"))) {
            Quarkus.run(inLambda ? args : Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        int code = run(args, System.out, System.err);
        System.exit(code);
    }

    /** Runs one CLI command and returns its exit code; output goes to the given streams. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
            (args.length == 0 ? err : out).println(USAGE_TEXT);
            return args.length == 0 ? USAGE : OK;
        }
        try {
            Arguments arguments = Arguments.parse(Arrays.copyOfRange(args, 1, args.length));
            return switch (args[0]) {
                case "convert" -> convert(arguments, out);
                case "index" -> index(arguments, out);
                default -> throw new UsageException("unknown command '" + args[0] + "'");
            };
        } catch (UsageException e) {
            err.println("recast: " + e.getMessage());
            err.println(USAGE_TEXT);
            return USAGE;
        } catch (RecastException e) {
            err.println("recast: " + e.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ": " + e.getMessage());
            return FAILED;
        }
    }

    private static int convert(Arguments arguments, PrintStream out) {
        if (arguments.positional().size() != 2) {
            throw new UsageException("convert needs SOURCE and TARGET, got " + arguments.positional().size() + " argument(s)");
        }
        ImageReference source = ImageReference.parse(arguments.positional().get(0));
        ImageReference target = ImageReference.parse(arguments.positional().get(1));
        try (Engine engine = engine(arguments, List.of(source), target)) {
            ConversionReport report = engine.converter().convert(source, target, arguments.options());
            if (arguments.json()) {
                out.println(json(report));
            } else {
                ReportTable.print(report, out);
            }
            return OK;
        }
    }

    private static int index(Arguments arguments, PrintStream out) {
        if (arguments.positional().size() < 2) {
            throw new UsageException("index needs TARGET and at least one SOURCE");
        }
        ImageReference target = ImageReference.parse(arguments.positional().getFirst());
        List<IndexSource> sources = new ArrayList<>();
        for (String text : arguments.positional().subList(1, arguments.positional().size())) {
            int eq = text.lastIndexOf('=');
            sources.add(eq > 0 ? new IndexSource(ImageReference.parse(text.substring(0, eq)), Platform.parse(text.substring(eq + 1)))
                    : new IndexSource(ImageReference.parse(text)));
        }
        try (Engine engine = engine(arguments, sources.stream().map(IndexSource::reference).toList(), target)) {
            IndexReport report = engine.indexBuilder().build(new IndexRequest(target, sources, arguments.convert(), arguments.options(),
                            arguments.replace(), arguments.append(), arguments.annotations()));
            if (arguments.json()) {
                out.println(json(report));
            } else {
                ReportTable.print(report, out);
            }
            return OK;
        }
    }

    /** The engine one command uses, with its registry options. */
    private static Engine engine(Arguments arguments, List<ImageReference> sources, ImageReference target) {
        return new EngineBuilder().registries(RegistrySettings.defaults().withInsecureHosts(arguments.insecureHosts())
                .withCredentials(credentials(arguments, sources, target)))
                .cacheRepository(arguments.cacheRepository()).build();
    }

    /** --dest-creds for the target's host, --src-creds for the sources', --creds for any, then docker's config.json. */
    private static CredentialSource credentials(Arguments arguments, List<ImageReference> sources, ImageReference target) {
        Map<String, Credentials> byHost = new HashMap<>();
        if (arguments.sourceCredentials() != null) {
            sources.stream().filter(RegistryReference.class::isInstance).map(RegistryReference.class::cast)
                    .forEach(s -> byHost.put(s.registry(), arguments.sourceCredentials()));
        }
        if (arguments.targetCredentials() != null && target instanceof RegistryReference t) {
            byHost.put(t.registry(), arguments.targetCredentials());
        }
        CredentialSource given = host -> Optional.ofNullable(byHost.get(host)).or(() -> Optional.ofNullable(arguments.credentials()));
        return given.orElse(DockerConfigCredentials.defaultLocation());
    }

    private static String json(Object report) {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write the report as JSON", e);
        }
    }
}
