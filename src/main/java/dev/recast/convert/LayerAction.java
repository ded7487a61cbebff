package dev.recast.convert;

/** What happened to one layer. */
public enum LayerAction {
    /** Decompressed, diff_id checked, compressed anew and written. */
    RECOMPRESSED,
    /** Converted earlier (a layer cache entry): the converted blob mounted into the target, nothing recompressed. */
    REUSED,
    /** Already in the target compression: bytes copied unchanged (digest checked). */
    COPIED,
    /** Nothing to move: already present in the target, mounted, or a foreign layer that is never fetched. */
    SKIPPED
}
