package dev.recast.convert;

/** The annotations Recast writes on the manifests and indexes it produces. */
public final class RecastAnnotations {
    /** The digest of the manifest or index the result was converted from. */
    public static final String SOURCE_DIGEST = "dev.recast.source.digest";
    /** The options that produced the result ({@link ConversionOptions#label()}), so a rerun can recognise it. */
    public static final String CONVERSION = "dev.recast.conversion";

    /** On indexes Recast builds: the digests of the sources, comma-separated. */
    public static final String INDEX_SOURCES = "dev.recast.index.sources";

    /** On referrers Recast re-attaches to a converted image: the digest of the source's referrer it copies. */
    public static final String REFERRER_SOURCE = "dev.recast.referrer.source";

    private RecastAnnotations() {
    }
}
