package dev.recast.stream;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The four ISA-L inflate functions Recast calls, and the fields of their structures it reads and writes.
 * <p>
 * The offsets are those of {@code struct inflate_state} and the size of {@code struct isal_gzip_header} in
 * {@code igzip_lib.h}, printed with {@code offsetof}/{@code sizeof} for ISA-L 2.30 (Debian's {@code libisal-dev})
 * on LP64 (x86_64 and aarch64 lay them out alike); the headers of 2.26 to 2.32.1 give the same numbers. ISA-L has no
 * call that returns its version, so the version is read from the file the loader mapped (libtool names it
 * {@code libisal.so.2.0.MINOR}) and anything outside 2.26–2.32 is refused; the self-test then checks behaviour.
 */
final class IsalLibrary {
    static final long STATE_SIZE = 87_368;
    static final long STATE_NEXT_OUT = 0;
    static final long STATE_AVAIL_OUT = 8;
    static final long STATE_NEXT_IN = 16;
    static final long STATE_AVAIL_IN = 32;
    static final long STATE_BLOCK_STATE = 21_160;
    static final long STATE_CRC_FLAG = 21_172;
    static final long GZIP_HEADER_SIZE = 72;

    /** {@code enum isal_block_state}: the member's deflate data and trailer are done, all output handed out. */
    static final int ISAL_BLOCK_FINISH = 5;
    /** {@code crc_flag}: raw deflate, then the gzip trailer (CRC-32 and ISIZE) checked by ISA-L. */
    static final int ISAL_GZIP_NO_HDR_VER = 6;
    static final int ISAL_DECOMP_OK = 0;
    static final int ISAL_END_INPUT = 1;
    static final int ISAL_INCORRECT_CHECKSUM = -6;

    private static final int OLDEST_MINOR = 26;
    private static final int NEWEST_MINOR = 32;
    private static final Pattern VERSIONED_FILE = Pattern.compile("libisal\\.so\\.2\\.0\\.(\\d+)");

    private final MethodHandle inflateInit;
    private final MethodHandle inflateReset;
    private final MethodHandle inflate;
    private final MethodHandle readGzipHeader;
    private final String file;

    /** @throws IllegalStateException when the library is missing, of an unchecked version, or on another platform */
    IsalLibrary(String library) {
        if (ValueLayout.ADDRESS.byteSize() != 8 || !System.getProperty("os.name").equals("Linux")) {
            throw new IllegalStateException("ISA-L's structures were checked for 64-bit Linux only");
        }
        NativeSymbols symbols = NativeSymbols.load(library);
        Linker linker = Linker.nativeLinker();
        FunctionDescriptor onState = FunctionDescriptor.ofVoid(ValueLayout.ADDRESS);
        inflateInit = linker.downcallHandle(symbols.find("isal_inflate_init"), onState);
        inflateReset = linker.downcallHandle(symbols.find("isal_inflate_reset"), onState);
        inflate = linker.downcallHandle(symbols.find("isal_inflate"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
        readGzipHeader = linker.downcallHandle(symbols.find("isal_read_gzip_header"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        file = mappedFile();
        checkVersion(file);
    }

    /** The library file in use, e.g. /usr/lib/x86_64-linux-gnu/libisal.so.2.0.30. */
    String file() {
        return file;
    }

    void inflateInit(MemorySegment state) {
        try {
            inflateInit.invokeExact(state);
        } catch (Throwable t) {
            throw rethrown(t);
        }
    }

    void inflateReset(MemorySegment state) {
        try {
            inflateReset.invokeExact(state);
        } catch (Throwable t) {
            throw rethrown(t);
        }
    }

    int inflate(MemorySegment state) {
        try {
            return (int) inflate.invokeExact(state);
        } catch (Throwable t) {
            throw rethrown(t);
        }
    }

    int readGzipHeader(MemorySegment state, MemorySegment header) {
        try {
            return (int) readGzipHeader.invokeExact(state, header);
        } catch (Throwable t) {
            throw rethrown(t);
        }
    }

    /** Downcalls throw nothing checked; anything else is passed on as it is. */
    private static RuntimeException rethrown(Throwable t) {
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    /** The real file behind the loaded library, as the kernel mapped it. */
    private static String mappedFile() {
        try (var lines = Files.lines(Path.of("/proc/self/maps"))) {
            return lines.map(line -> line.substring(line.lastIndexOf(' ') + 1))
                    .filter(path -> path.contains("/libisal.so")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("libisal is not among the mapped files"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/maps to find libisal's version: " + e);
        }
    }

    private static void checkVersion(String file) {
        Matcher name = VERSIONED_FILE.matcher(Path.of(file).getFileName().toString());
        if (!name.matches()) {
            throw new IllegalStateException(file + " does not name its version (libisal.so.2.0.MINOR)");
        }
        int minor = Integer.parseInt(name.group(1));
        if (minor < OLDEST_MINOR || minor > NEWEST_MINOR) {
            throw new IllegalStateException(file + " is ISA-L 2." + minor + "; its structures were checked for 2."
                    + OLDEST_MINOR + " to 2." + NEWEST_MINOR + " only");
        }
    }
}
