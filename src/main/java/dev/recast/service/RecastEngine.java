package dev.recast.service;

import dev.recast.ErrorKind;
import dev.recast.RecastException;
import dev.recast.convert.ImageConverter;
import dev.recast.index.IndexBuilder;
import dev.recast.inspect.ImageInspector;
import dev.recast.registry.ImageStores;
import dev.recast.registry.http.CredentialSource;
import dev.recast.registry.http.Credentials;
import dev.recast.registry.http.DockerConfigCredentials;
import dev.recast.registry.http.GuardedResolverProvider;
import dev.recast.registry.http.HostPolicy;
import dev.recast.registry.http.RegistrySettings;
import dev.recast.registry.http.WritableRepositories;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The engine as the service (and the Lambda, which runs the service) uses it, built by {@link EngineBuilder} from
 * {@link RecastConfig}. Adapters do not reach it: they go through {@link ConversionService}.
 */
@ApplicationScoped
public class RecastEngine {
    private static final Logger LOG = Logger.getLogger(RecastEngine.class);
    private final RecastConfig config;
    private final Engine engine;

    /** @param extraCredentials credential sources other modules provide (the Lambda's ECR and Secrets Manager) */
    public RecastEngine(RecastConfig config, Instance<CredentialSource> extraCredentials) {
        this.config = config;
        RecastConfig.Registries registries = config.registries();
        HostPolicy policy = HostPolicy.service(registries.allowed().orElse(List.of()));
        if (!GuardedResolverProvider.isInstalled()) {
            LOG.warn("the JDK did not install Recast's resolver guard: names are checked before each connection "
                    + "attempt, but not again as the JDK connects (DNS rebinding)");
        }
        // only a config the operator names: the service never borrows the credentials of whoever started it
        CredentialSource docker = registries.dockerConfig().<CredentialSource>map(p -> new DockerConfigCredentials(Path.of(p)))
                .orElse(CredentialSource.none());
        RegistrySettings settings = RegistrySettings.defaults()
                .withInsecureHosts(new HashSet<>(registries.insecure().orElse(List.of())))
                .withCredentials(extraCredentials.stream().reduce(CredentialSource::orElse).orElse(CredentialSource.none())
                        .orElse(configured(registries.credentials().orElse(List.of()))).orElse(docker))
                .withChunkSize(registries.chunkSize())
                .withLimits(config.limits().manifestBytes(), registries.maxAttempts())
                .withTimeouts(registries.connectTimeout(), registries.requestTimeout(), registries.bodyIdleTimeout(),
                        registries.minBodyRate())
                .withHostPolicy(policy)
                .withRequestRate(registries.requestRate());
        RecastConfig.Limits configured = config.limits();
        this.engine = new EngineBuilder().registries(settings)
                .writable(WritableRepositories.of(registries.writable().orElse(List.of())))
                .layerParallelism(config.conversion().layerParallelism())
                .cacheRepository(config.cache().enabled() ? config.cache().repository() : null)
                .cacheVerify(config.cache().verify())
                .limits(new ImageConverter.Limits(configured.manifestBytes(), configured.configBytes(),
                        configured.layerBytes(), configured.expansionRatio(), configured.indexEntries(),
                        configured.indexDepth(), configured.imageLayers(), configured.conversionTimeout()))
                .build();
    }

    /** {@code host=user:password} entries; the password may contain any character, the host no '='. */
    static CredentialSource configured(List<String> entries) {
        Map<String, Credentials> byHost = new HashMap<>();
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new RecastException(ErrorKind.BAD_REQUEST, "recast.registries.credentials entries must be "
                        + "host=user:password (an entry without '=' was given)");
            }
            byHost.put(entry.substring(0, eq).trim(), Credentials.parse(entry.substring(eq + 1)));
        }
        return host -> Optional.ofNullable(byHost.get(host));
    }

    /** The engine's parts together, for the migrations' door ({@code migrate.MigrationService}), as the CLI uses them. */
    public Engine engine() {
        return engine;
    }

    public RecastConfig config() {
        return config;
    }

    public ImageStores stores() {
        return engine.stores();
    }

    public ImageConverter converter() {
        return engine.converter();
    }

    public IndexBuilder indexBuilder() {
        return engine.indexBuilder();
    }

    public ImageInspector inspector() {
        return engine.inspector();
    }

    @PreDestroy
    void close() {
        engine.close();
    }
}
