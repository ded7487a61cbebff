package dev.recast.cli;

import dev.recast.convert.ConversionOptions;
import dev.recast.model.Compression;
import dev.recast.model.Platform;

import dev.recast.registry.Credentials;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.List;

/** The arguments of {@code recast convert}. */
record ConvertArguments(String source, String target, ConversionOptions options, boolean json,
                        Credentials credentials, Credentials sourceCredentials, Credentials targetCredentials,
                        Set<String> insecureHosts) {

    static ConvertArguments parse(String[] args) {
        List<String> positional = new ArrayList<>();
        List<Platform> platforms = new ArrayList<>();
        Compression compression = Compression.ZSTD;
        Integer level = null;
        boolean dryRun = false;
        boolean json = false;
        Credentials creds = null;
        Credentials srcCreds = null;
        Credentials destCreds = null;
        Set<String> insecure = new LinkedHashSet<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                value = arg.substring(eq + 1);
                arg = arg.substring(0, eq);
            }
            switch (arg) {
                case "--compression" -> compression = Compression.parse(value != null ? value : next(args, ++i, arg));
                case "--level" -> level = parseLevel(value != null ? value : next(args, ++i, arg));
                case "--platform" -> platforms.add(Platform.parse(value != null ? value : next(args, ++i, arg)));
                case "--dry-run" -> dryRun = true;
                case "--json" -> json = true;
                case "--creds" -> creds = Credentials.parse(value != null ? value : next(args, ++i, arg));
                case "--src-creds" -> srcCreds = Credentials.parse(value != null ? value : next(args, ++i, arg));
                case "--dest-creds" -> destCreds = Credentials.parse(value != null ? value : next(args, ++i, arg));
                case "--insecure" -> insecure.add(value != null ? value : next(args, ++i, arg));
                default -> {
                    if (arg.startsWith("--")) {
                        throw new UsageException("unknown option " + arg);
                    }
                    positional.add(arg);
                }
            }
        }
        if (positional.size() != 2) {
            throw new UsageException("convert needs SOURCE and TARGET, got " + positional.size() + " argument(s)");
        }
        return new ConvertArguments(positional.get(0), positional.get(1),
                new ConversionOptions(compression, level, platforms, dryRun), json, creds, srcCreds, destCreds,
                Set.copyOf(insecure));
    }

    private static String next(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new UsageException(option + " needs a value");
        }
        return args[i];
    }

    private static int parseLevel(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new UsageException("--level needs a whole number, got '" + text + "'");
        }
    }
}
