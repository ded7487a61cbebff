package dev.recast.cli;

import dev.recast.RecastException;
import dev.recast.convert.CacheChoice;
import dev.recast.convert.ConversionOptions;
import dev.recast.convert.ManifestFormat;
import dev.recast.convert.ReferrersMode;
import dev.recast.convert.VariantsFormat;
import dev.recast.model.Compression;
import dev.recast.model.Platform;
import dev.recast.registry.http.Credentials;
import dev.recast.service.EngineBuilder;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The options of every recast command, parsed once; each command uses those that apply to it.
 *
 * @param cacheRepository the layer cache's repository in the target registry; null: no cache ({@code --no-cache})
 * @param compression     null when not given: the format's default (zstd, or gzip for v2s2)
 * @param requestRate     requests per second to each registry ({@code --rate N} or {@code N/s}); 0: no limit
 * @param variants        {@code --variants gzip,zstd}: a gzip + zstd index; empty: none
 * @param force           {@code --force}: convert in place without variants, breaking clients without zstd
 * @param cacheVerify     unpack and check cache entries read from the registry ({@code --cache-verify})
 * @param referrers       what conversions do with the source's SBOMs, attestations and signatures
 * @param format          {@code --format}, convert's only; null when not given (OCI)
 * @param provenance      attach a provenance artifact to the converted image ({@code --provenance=false}: none)
 * @param signKey         the ECDSA P-256 key file to sign the converted image with ({@code --sign-key}), or null
 */
record Arguments(List<String> positional, Compression compression, Integer level, List<Platform> platforms,
                 boolean dryRun, boolean json, Credentials credentials, Credentials sourceCredentials,
                 Credentials targetCredentials, Set<String> insecureHosts, boolean convert, boolean replace,
                 boolean append, Map<String, String> annotations, ProgressMode progress, Migrate migrate,
                 String cacheRepository, double requestRate, List<Compression> variants, VariantsFormat variantsFormat,
                 boolean force, boolean cacheVerify, ReferrersMode referrers, ManifestFormat format, boolean provenance,
                 Path signKey) {

    /** The options of {@code recast migrate}. */
    record Migrate(List<String> repositories, String tag, Integer latest, String target, String repositoriesFrom,
                   boolean csv, int concurrency, int pageSize, String html) {
    }

    ConversionOptions options() {
        return new ConversionOptions(compression, level, platforms, dryRun, CacheChoice.ENGINE, format)
                .withVariants(variants, variantsFormat).withForce(force).withReferrers(referrers)
                .withProvenance(provenance);
    }

    static Arguments parse(String[] args) {
        List<String> positional = new ArrayList<>();
        List<Platform> platforms = new ArrayList<>();
        Set<String> insecure = new LinkedHashSet<>();
        Map<String, String> annotations = new LinkedHashMap<>();
        Compression compression = null;
        ManifestFormat format = null;
        Integer level = null;
        Credentials creds = null;
        Credentials srcCreds = null;
        Credentials destCreds = null;
        boolean dryRun = false;
        boolean json = false;
        boolean convert = false;
        boolean replace = false;
        boolean append = false;
        ProgressMode progress = ProgressMode.AUTO;
        List<String> repositories = new ArrayList<>();
        String tag = null;
        Integer latest = null;
        String target = null;
        String repositoriesFrom = null;
        boolean csv = false;
        int concurrency = 2;
        int pageSize = 100;
        String cacheRepository = EngineBuilder.DEFAULT_CACHE_REPOSITORY;
        double requestRate = 0;
        String html = null;
        List<Compression> variants = List.of();
        VariantsFormat variantsFormat = VariantsFormat.SOURCE;
        boolean force = false;
        boolean cacheVerify = false;
        ReferrersMode referrers = ReferrersMode.COPY;
        boolean provenance = true;
        Path signKey = null;
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
                case "--creds" -> creds = Credentials.parse(value != null ? value : next(args, ++i, arg));
                case "--src-creds" -> srcCreds = Credentials.parse(value != null ? value : next(args, ++i, arg));
                case "--dest-creds" -> destCreds = Credentials.parse(value != null ? value : next(args, ++i, arg));
                case "--insecure" -> insecure.add(value != null ? value : next(args, ++i, arg));
                case "--annotation" -> {
                    String pair = value != null ? value : next(args, ++i, arg);
                    int sep = pair.indexOf('=');
                    if (sep <= 0) {
                        throw new UsageException("--annotation needs KEY=VALUE, got '" + pair + "'");
                    }
                    annotations.put(pair.substring(0, sep), pair.substring(sep + 1));
                }
                case "--progress" -> progress = ProgressMode.parse(value != null ? value : next(args, ++i, arg));
                case "--repository" -> repositories.add(value != null ? value : next(args, ++i, arg));
                case "--tag" -> tag = value != null ? value : next(args, ++i, arg);
                case "--latest" -> latest = parseCount(value != null ? value : next(args, ++i, arg), arg);
                case "--target" -> target = value != null ? value : next(args, ++i, arg);
                case "--repositories-from" -> repositoriesFrom = value != null ? value : next(args, ++i, arg);
                case "--concurrency" -> concurrency = parseCount(value != null ? value : next(args, ++i, arg), arg);
                case "--page-size" -> pageSize = parseCount(value != null ? value : next(args, ++i, arg), arg);
                case "--csv" -> csv = true;
                case "--html" -> html = value != null ? value : next(args, ++i, arg);
                case "--rate" -> requestRate = parseRate(value != null ? value : next(args, ++i, arg));
                case "--cache-repository" -> cacheRepository = value != null ? value : next(args, ++i, arg);
                case "--no-cache" -> cacheRepository = null;
                case "--cache-verify" -> cacheVerify = true;
                case "--referrers" -> referrers = parseReferrers(value != null ? value : next(args, ++i, arg));
                case "--format" -> format = ManifestFormat.parse(value != null ? value : next(args, ++i, arg));
                case "--provenance" -> provenance = parseSwitch(value, arg);
                case "--sign-key" -> signKey = Path.of(value != null ? value : next(args, ++i, arg));
                case "--dry-run" -> dryRun = true;
                case "--json" -> json = true;
                case "--convert" -> convert = true;
                case "--replace" -> replace = true;
                case "--append" -> append = true;
                case "--variants" -> variants = ConversionOptions.variants(
                        List.of((value != null ? value : next(args, ++i, arg)).split(",", -1)));
                case "--variants-format" -> variantsFormat = VariantsFormat.parse(value != null ? value : next(args, ++i, arg));
                case "--force" -> force = true;
                default -> {
                    if (arg.startsWith("--")) {
                        throw new UsageException("unknown option " + arg);
                    }
                    positional.add(args[i]);
                }
            }
        }
        return new Arguments(List.copyOf(positional), compression, level, List.copyOf(platforms), dryRun, json, creds,
                srcCreds, destCreds, Set.copyOf(insecure), convert, replace, append, Map.copyOf(annotations),
                progress, new Migrate(List.copyOf(repositories), tag, latest, target, repositoriesFrom, csv, concurrency, pageSize,
                html), cacheRepository, requestRate, variants, variantsFormat, force, cacheVerify, referrers, format,
                provenance, signKey);
    }

    /** {@code --x} alone is true; {@code --x=true|false} says which. */
    private static boolean parseSwitch(String value, String option) {
        if (value == null || value.equals("true")) {
            return true;
        }
        if (value.equals("false")) {
            return false;
        }
        throw new UsageException(option + " is true or false, got '" + value + "'");
    }

    private static String next(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new UsageException(option + " needs a value");
        }
        return args[i];
    }

    private static int parseCount(String text, String option) {
        try {
            int count = Integer.parseInt(text);
            if (count >= 1) {
                return count;
            }
        } catch (NumberFormatException e) {
            // reported below, as a number below 1 is
        }
        throw new UsageException(option + " needs a whole number of at least 1, got '" + text + "'");
    }

    /** {@code 20} or {@code 20/s}: a positive number of requests per second. */
    private static double parseRate(String text) {
        String number = text.endsWith("/s") ? text.substring(0, text.length() - 2) : text;
        try {
            double rate = Double.parseDouble(number);
            if (rate > 0 && Double.isFinite(rate)) {
                return rate;
            }
        } catch (NumberFormatException e) {
            // reported below, as a rate of 0 is
        }
        throw new UsageException("--rate needs requests per second above 0 (e.g. 20 or 20/s), got '" + text + "'");
    }

    private static ReferrersMode parseReferrers(String text) {
        try {
            return ReferrersMode.parse(text);
        } catch (RecastException e) {
            throw new UsageException("--" + e.getMessage());
        }
    }

    private static int parseLevel(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new UsageException("--level needs a whole number, got '" + text + "'");
        }
    }
}
