package dev.recast.stream;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/** {@link GZIPInputStream} (the JDK's zlib): the decoder when ISA-L cannot be used. */
public final class JdkGzipDecoder implements GzipDecoder {
    public static final JdkGzipDecoder INSTANCE = new JdkGzipDecoder();
    private static final int BUFFER = 1 << 17;

    private JdkGzipDecoder() {
    }

    @Override
    public InputStream open(InputStream gzip) throws IOException {
        return new GZIPInputStream(gzip, BUFFER);
    }

    @Override
    public String name() {
        return "jdk";
    }
}
