package dev.recast.stream;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.ref.Cleaner;
import java.util.Objects;
import java.util.zip.ZipException;

import static dev.recast.stream.IsalLibrary.*;

/**
 * Gzip decoded by ISA-L, member by member. Each member's header is read by {@code isal_read_gzip_header} into a header
 * structure kept for the whole member — in {@code ISAL_GZIP} mode {@code isal_inflate} parses it into a structure on
 * its stack, which breaks on a header split across two reads (intel/isa-l#224). The body is then inflated as raw
 * deflate with ISA-L checking the trailer ({@code ISAL_GZIP_NO_HDR_VER}: CRC-32 and length). After a member, bytes
 * starting {@code 1f 8b} begin the next member; anything else ends the stream and is ignored, as GZIPInputStream does.
 * <p>
 * Native memory (state, header, input and output buffers, ~600 KB) is allocated once, in an arena closed by
 * {@link #close()} (or, if a caller forgets, once the stream is unreachable).
 */
final class IsalGzipInputStream extends InputStream {
    private static final int IN_SIZE = 1 << 18;
    private static final int OUT_SIZE = 1 << 18;
    private static final Cleaner CLEANER = Cleaner.create(Thread.ofPlatform().daemon().name("recast-isal-cleaner").factory());

    private enum Phase { HEADER, BODY, BETWEEN_MEMBERS, END }

    private final IsalLibrary isal;
    private final InputStream source;
    private final Cleaner.Cleanable freeing;
    private final MemorySegment state;
    private final MemorySegment header;
    private final MemorySegment in;
    private final MemorySegment out;
    private final byte[] staging = new byte[IN_SIZE];
    private Phase phase = Phase.HEADER;
    private int outPosition;
    private int outLimit;
    private boolean sourceEnded;
    private boolean closed;

    IsalGzipInputStream(IsalLibrary isal, InputStream source) {
        this.isal = isal;
        this.source = source;
        Arena arena = Arena.ofShared();
        this.freeing = CLEANER.register(this, arena::close);
        this.state = arena.allocate(STATE_SIZE, 64);
        this.header = arena.allocate(GZIP_HEADER_SIZE, 8);
        this.in = arena.allocate(IN_SIZE, 64);
        this.out = arena.allocate(OUT_SIZE, 64);
        isal.inflateInit(state);
        state.set(ValueLayout.JAVA_INT, STATE_CRC_FLAG, ISAL_GZIP_NO_HDR_VER);
        setInput(0, 0);
    }

    @Override
    public int read() throws IOException {
        if (!ensureOutput()) {
            return -1;
        }
        return out.get(ValueLayout.JAVA_BYTE, outPosition++) & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        if (length == 0) {
            return 0;
        }
        if (!ensureOutput()) {
            return -1;
        }
        int n = Math.min(length, outLimit - outPosition);
        MemorySegment.copy(out, ValueLayout.JAVA_BYTE, outPosition, buffer, offset, n);
        outPosition += n;
        return n;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            source.close();
        } finally {
            freeing.clean();
        }
    }

    /** True when decoded bytes wait in the output buffer; false at the end of the stream. */
    private boolean ensureOutput() throws IOException {
        if (closed) {
            throw new IOException("Stream closed");
        }
        while (outPosition == outLimit) {
            switch (phase) {
                case HEADER -> readHeader();
                case BODY -> {
                    outPosition = 0;
                    outLimit = inflate();
                }
                case BETWEEN_MEMBERS -> startNextMember();
                case END -> {
                    return false;
                }
            }
        }
        return true;
    }

    private void readHeader() throws IOException {
        while (true) {
            if (availableIn() == 0 && !refill()) {
                throw new EOFException("gzip stream ends inside a member's header");
            }
            int result = isal.readGzipHeader(state, header);
            if (result == ISAL_DECOMP_OK) {
                phase = Phase.BODY;
                return;
            }
            if (result != ISAL_END_INPUT) {
                throw new ZipException(result == ISAL_INCORRECT_CHECKSUM ? "Corrupt GZIP header (header CRC)"
                        : "Not in GZIP format (ISA-L header error " + result + ")");
            }
        }
    }

    /** Inflates into the output buffer; returns how many bytes it holds (0: call again). */
    private int inflate() throws IOException {
        state.set(ValueLayout.JAVA_LONG, STATE_NEXT_OUT, out.address());
        state.set(ValueLayout.JAVA_INT, STATE_AVAIL_OUT, OUT_SIZE);
        long inBefore = positionIn();
        int result = isal.inflate(state);
        if (result < 0) {
            throw bodyFailure(result);
        }
        int produced = OUT_SIZE - state.get(ValueLayout.JAVA_INT, STATE_AVAIL_OUT);
        if (state.get(ValueLayout.JAVA_INT, STATE_BLOCK_STATE) == ISAL_BLOCK_FINISH) {
            phase = Phase.BETWEEN_MEMBERS;
            return produced;
        }
        if (produced > 0 || (availableIn() > 0 && positionIn() != inBefore)) {
            return produced;
        }
        if (!refill()) {
            throw new EOFException("Unexpected end of gzip stream (cut inside a member's data or trailer)");
        }
        return 0;
    }

    /** After a member: another one if the next bytes are gzip's magic, else the end (trailing bytes ignored). */
    private void startNextMember() throws IOException {
        while (availableIn() < 2 && refill()) {
            // one more read: a member boundary may fall anywhere in the source's reads
        }
        long at = positionIn();
        if (availableIn() >= 2 && in.get(ValueLayout.JAVA_BYTE, at) == (byte) 0x1f
                && in.get(ValueLayout.JAVA_BYTE, at + 1) == (byte) 0x8b) {
            isal.inflateReset(state);
            header.fill((byte) 0);
            phase = Phase.HEADER;
        } else {
            phase = Phase.END;
        }
    }

    /** Moves unread input to the front of the input buffer and appends one read of the source; false at its end. */
    private boolean refill() throws IOException {
        if (sourceEnded) {
            return false;
        }
        int available = availableIn();
        long position = positionIn();
        if (available > 0 && position > 0) {
            MemorySegment.copy(in, position, in, 0, available);
        }
        int free = IN_SIZE - available;
        if (free == 0) {
            throw new ZipException("ISA-L consumed no input from a full buffer");
        }
        int n = source.read(staging, 0, free);
        if (n < 0) {
            sourceEnded = true;
            setInput(0, available);
            return false;
        }
        MemorySegment.copy(staging, 0, in, ValueLayout.JAVA_BYTE, available, n);
        setInput(0, available + n);
        return true;
    }

    private void setInput(long position, int length) {
        state.set(ValueLayout.JAVA_LONG, STATE_NEXT_IN, in.address() + position);
        state.set(ValueLayout.JAVA_INT, STATE_AVAIL_IN, length);
    }

    private long positionIn() {
        return state.get(ValueLayout.JAVA_LONG, STATE_NEXT_IN) - in.address();
    }

    private int availableIn() {
        return state.get(ValueLayout.JAVA_INT, STATE_AVAIL_IN);
    }

    private static ZipException bodyFailure(int result) {
        return new ZipException(switch (result) {
            case -1 -> "Invalid deflate block";
            case -2 -> "Invalid deflate symbol";
            case -3 -> "Invalid deflate back-reference distance";
            case ISAL_INCORRECT_CHECKSUM -> "Corrupt GZIP trailer (CRC-32 or length does not match the data)";
            default -> "ISA-L inflate failed (" + result + ")";
        });
    }
}
