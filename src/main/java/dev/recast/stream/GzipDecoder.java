package dev.recast.stream;

import java.io.IOException;
import java.io.InputStream;

/**
 * Opens gzip streams: RFC 1952 members one after another (multi-member streams), bytes after the last member that do
 * not start another member ignored, a truncated stream or a wrong CRC-32 or length an {@link IOException}.
 */
public interface GzipDecoder {

    /** The decompressed bytes of {@code gzip}; closing the result closes {@code gzip}. */
    InputStream open(InputStream gzip) throws IOException;

    /** {@code isal} or {@code jdk}, as logged and as {@code recast.inflate} names them. */
    String name();

    /** The decoder this process uses, chosen once (see {@link GzipDecoderChoice}). */
    static GzipDecoder chosen() {
        return GzipDecoderChoice.CHOSEN;
    }
}
