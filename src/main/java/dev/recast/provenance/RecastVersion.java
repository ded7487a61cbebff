package dev.recast.provenance;

/** The version of Recast that runs, as its jar's manifest names it; {@code development} when run from classes. */
public final class RecastVersion {
    public static final String BUILDER_ID = "https://github.com/recast-dev/recast";

    private RecastVersion() {
    }

    public static String current() {
        String version = RecastVersion.class.getPackage().getImplementationVersion();
        return version != null ? version : "development";
    }
}
