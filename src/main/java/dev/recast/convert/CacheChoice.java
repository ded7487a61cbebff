package dev.recast.convert;

/**
 * Which layer cache one conversion uses: the engine's ({@link #ENGINE}), none ({@link #OFF}), or the engine's kept in
 * another repository. An engine without cache uses none, whatever a request asks.
 *
 * @param repository the cache repository of the target registry, or {@code HOST/REPOSITORY} on another; null: the
 *                   engine's
 */
public record CacheChoice(boolean enabled, String repository) {
    public static final CacheChoice ENGINE = new CacheChoice(true, null);
    public static final CacheChoice OFF = new CacheChoice(false, null);

    public CacheChoice {
        if (repository != null) {
            LayerCache.cacheReference(repository, "localhost"); // refuses an invalid repository name now
        }
    }

    /** The choice a request makes: {@code enabled} false turns the cache off; a repository replaces the engine's. */
    public static CacheChoice of(Boolean enabled, String repository) {
        if (Boolean.FALSE.equals(enabled)) {
            return OFF;
        }
        return repository == null || repository.isBlank() ? ENGINE : new CacheChoice(true, repository);
    }
}
