package dev.recast.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.recast.RecastException;
import dev.recast.convert.ConversionOptions;
import dev.recast.convert.ConversionReport;
import dev.recast.convert.ImageConverter;
import dev.recast.registry.ImageReference;
import dev.recast.registry.CredentialSource;
import dev.recast.registry.Credentials;
import dev.recast.registry.DockerConfigCredentials;
import dev.recast.registry.ImageStores;
import dev.recast.registry.RegistryReference;
import dev.recast.registry.RegistrySettings;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Locale;

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
                                  [--creds USER:PASS] [--src-creds USER:PASS] [--dest-creds USER:PASS]
                                  [--insecure HOST[:PORT]]...
                   recast serve
            references: oci:DIR[:TAG] or [docker://]HOST[:PORT]/REPOSITORY[:TAG][@DIGEST]""";

    private RecastMain() {
    }

    public static void main(String... args) {
        // The JDK's HTTP client logs through java.util.logging: route it to Quarkus's log manager before first use.
        System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        if (args.length > 0 && args[0].equals("serve")) {
            Quarkus.run(Arrays.copyOfRange(args, 1, args.length));
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
            return switch (args[0]) {
                case "convert" -> convert(ConvertArguments.parse(Arrays.copyOfRange(args, 1, args.length)), out);
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

    private static int convert(ConvertArguments arguments, PrintStream out) {
        ImageReference source = ImageReference.parse(arguments.source());
        ImageReference target = ImageReference.parse(arguments.target());
        RegistrySettings settings = RegistrySettings.defaults().withInsecureHosts(arguments.insecureHosts())
                .withCredentials(credentials(arguments, source, target));
        int parallelism = Math.max(2, Runtime.getRuntime().availableProcessors());
        try (ImageStores stores = new ImageStores(settings);
             ImageConverter converter = new ImageConverter(stores, parallelism, ImageConverter.Limits.DEFAULT)) {
            ConversionReport report = converter.convert(source, target, arguments.options());
            if (arguments.json()) {
                out.println(json(report));
            } else {
                ReportTable.print(report, out);
            }
            return OK;
        }
    }

    /** --dest-creds for the target's host, --src-creds for the source's, --creds for any, then docker's config.json. */
    private static CredentialSource credentials(ConvertArguments arguments, ImageReference source, ImageReference target) {
        Map<String, Credentials> byHost = new HashMap<>();
        if (arguments.sourceCredentials() != null && source instanceof RegistryReference s) {
            byHost.put(s.registry(), arguments.sourceCredentials());
        }
        if (arguments.targetCredentials() != null && target instanceof RegistryReference t) {
            byHost.put(t.registry(), arguments.targetCredentials());
        }
        CredentialSource given = host -> Optional.ofNullable(byHost.get(host)).or(() -> Optional.ofNullable(arguments.credentials()));
        return given.orElse(DockerConfigCredentials.defaultLocation());
    }

    private static String json(ConversionReport report) {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write the report as JSON", e);
        }
    }
}
