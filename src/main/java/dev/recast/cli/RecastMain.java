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
import dev.recast.provenance.ProvenanceRecorder;
import dev.recast.registry.reference.RegistryReference;
import dev.recast.registry.referrers.ReferrerAttacher;
import dev.recast.service.Engine;
import dev.recast.service.EngineBuilder;
import dev.recast.sign.CosignSigner;
import dev.recast.sign.SigningKey;
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
            usage: recast convert SOURCE TARGET [--compression zstd|gzip|none|zstd:chunked] [--level N]
                                  [--platform OS/ARCH[/VARIANT]]... [--dry-run] [--json] [--progress MODE]
                                  [--variants gzip,zstd [--variants-format source|oci]] [--force]
                                  [--format oci|v2s2 (v2s2: Docker v2s2 with gzip layers, the way back)]
                   recast index TARGET SOURCE[=OS/ARCH[/VARIANT]]... [--convert [--compression C] [--level N]]
                                  [--replace] [--append] [--annotation KEY=VALUE]... [--dry-run] [--json]
                                  [--progress MODE]
                   recast migrate REGISTRY [--repository GLOB]... [--tag REGEX] [--latest N]
                                  [--target TEMPLATE] [--repositories-from FILE] [--concurrency N]
                                  [--page-size N] [--compression C] [--level N] [--dry-run] [--json|--csv]
                                  [--html FILE] [--variants gzip,zstd [--variants-format source|oci]]
                   recast verify TARGET [--json]
                   recast serve
            convert also:     [--provenance=false (attach no provenance)] [--sign-key FILE (ECDSA P-256 PEM:
                              sign the converted image as cosign does)]
            layer cache:      [--cache-repository REPO (default recast-cache)] [--no-cache] [--cache-verify]
            referrers:        [--referrers copy|report|skip] (convert, migrate; default copy): SBOMs and
                              attestations of the source re-attached to the result; signatures reported
            registry options: [--creds USER:PASS] [--src-creds USER:PASS] [--dest-creds USER:PASS]
                              [--insecure HOST[:PORT]]... [--rate N[/s] (requests per second
                              to each registry, retries included)]
            --progress auto|tty|plain|none: layers as they move, on stderr (the report stays on stdout).
                              auto (default): live lines if stderr is a terminal, else nothing; tty: live
                              lines; plain: lines for logs; none: nothing. --json turns progress off.
            --variants gzip,zstd: an OCI index with, per platform, the gzip image (the source manifest itself;
                              --variants-format oci: an OCI manifest of the same blobs) and its zstd conversion.
                              A target equal to the source tag (in place) needs --variants or --force.
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
        StartupWarmUp.start();
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
            if (arguments.format() != null && !args[0].equals("convert")) {
                throw new UsageException("--format is an option of convert only");
            }
            return switch (args[0]) {
                case "convert" -> convert(arguments, out, err);
                case "index" -> index(arguments, out, err);
                case "migrate" -> MigrateCommand.run(arguments, out);
                case "verify" -> VerifyCommand.run(arguments, out);
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

    private static int convert(Arguments arguments, PrintStream out, PrintStream err) {
        if (arguments.positional().size() != 2) {
            throw new UsageException("convert needs SOURCE and TARGET, got " + arguments.positional().size() + " argument(s)");
        }
        ImageReference source = ImageReference.parse(arguments.positional().get(0));
        ImageReference target = ImageReference.parse(arguments.positional().get(1));
        // read the key before anything is converted: a bad key file fails the run, not after the work
        CosignSigner signer = arguments.signKey() == null ? null : new CosignSigner(SigningKey.read(arguments.signKey()));
        ConversionReport report;
        try (Engine engine = engine(arguments, registries(List.of(source)), registry(target));
             ProgressDisplay progress = progress(arguments, err)) {
            report = engine.converter().convert(source, target, arguments.options(), progress);
            report = new ProvenanceRecorder(engine.stores(), new ReferrerAttacher()).recorded(report, arguments.options());
            if (signer != null) {
                report = signer.signed(engine.stores(), report);
            }
        }
        if (arguments.json()) {
            out.println(json(report));
        } else {
            ReportTable.print(report, out);
        }
        return OK;
    }

    private static int index(Arguments arguments, PrintStream out, PrintStream err) {
        if (arguments.positional().size() < 2) {
            throw new UsageException("index needs TARGET and at least one SOURCE");
        }
        if (!arguments.options().variants().isEmpty() || arguments.options().force()) {
            throw new UsageException("--variants and --force apply to convert and migrate, not index");
        }
        ImageReference target = ImageReference.parse(arguments.positional().getFirst());
        List<IndexSource> sources = new ArrayList<>();
        for (String text : arguments.positional().subList(1, arguments.positional().size())) {
            int eq = text.lastIndexOf('=');
            sources.add(eq > 0 ? new IndexSource(ImageReference.parse(text.substring(0, eq)), Platform.parse(text.substring(eq + 1)))
                    : new IndexSource(ImageReference.parse(text)));
        }
        IndexReport report;
        try (Engine engine = engine(arguments, registries(sources.stream().map(IndexSource::reference).toList()),
                registry(target));
             ProgressDisplay progress = progress(arguments, err)) {
            report = engine.indexBuilder().build(new IndexRequest(target, sources, arguments.convert(),
                    arguments.options(), arguments.replace(), arguments.append(), arguments.annotations()), progress);
        }
        if (arguments.json()) {
            out.println(json(report));
        } else {
            ReportTable.print(report, out);
        }
        return OK;
    }

    /** Progress on {@code err}; only the process's own stderr can be a terminal. */
    private static ProgressDisplay progress(Arguments arguments, PrintStream err) {
        boolean terminal = err == System.err && ProgressMode.stderrIsTerminal(System.getenv());
        return ProgressDisplay.open(arguments.progress().resolve(arguments.json(), terminal), err);
    }

    /** The engine one command uses, with its registry options. */
    static Engine engine(Arguments arguments, List<String> sourceRegistries, String targetRegistry) {
        return new EngineBuilder().registries(RegistrySettings.defaults().withInsecureHosts(arguments.insecureHosts())
                .withCredentials(credentials(arguments, sourceRegistries, targetRegistry))
                .withRequestRate(arguments.requestRate()))
                .cacheRepository(arguments.cacheRepository())
                .cacheVerify(arguments.cacheVerify()).build();
    }

    private static List<String> registries(List<ImageReference> references) {
        return references.stream().filter(RegistryReference.class::isInstance).map(RegistryReference.class::cast)
                .map(RegistryReference::registry).toList();
    }

    private static String registry(ImageReference reference) {
        return reference instanceof RegistryReference r ? r.registry() : null;
    }

    /** --dest-creds for the target's host, --src-creds for the sources', --creds for any, then docker's config.json. */
    private static CredentialSource credentials(Arguments arguments, List<String> sourceRegistries, String targetRegistry) {
        Map<String, Credentials> byHost = new HashMap<>();
        if (arguments.sourceCredentials() != null) {
            sourceRegistries.forEach(host -> byHost.put(host, arguments.sourceCredentials()));
        }
        if (arguments.targetCredentials() != null && targetRegistry != null) {
            byHost.put(targetRegistry, arguments.targetCredentials());
        }
        CredentialSource given = host -> Optional.ofNullable(byHost.get(host)).or(() -> Optional.ofNullable(arguments.credentials()));
        return given.orElse(DockerConfigCredentials.defaultLocation());
    }

    static String json(Object report) {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write the report as JSON", e);
        }
    }
}
