package dev.recast.stream;

import dev.recast.model.Digest;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * SHA-256 by OpenSSL 3's {@code EVP_Digest*} functions, called through the FFM API. Updates hand OpenSSL the Java
 * array itself (a critical downcall with heap access: no copy, and no safepoint for the few microseconds a call
 * takes). Each hash owns an {@code EVP_MD_CTX}, freed by {@link #finish()} or, for a hash abandoned with its stream,
 * by a cleaner. One thread at a time. Made by {@link HasherChoice} (by name: this class is compiled for Java 22).
 */
public final class OpenSslSha256 implements Hasher {
    private static final Cleaner CLEANER = Cleaner.create();
    /** The most one critical call hashes (about 0.7 ms): the JVM cannot stop the thread for a collection meanwhile. */
    private static final int MAX_CALL = 1 << 20;

    private final Functions functions;
    private final MemorySegment context;
    private final Cleaner.Cleanable freeing;
    /** The context is freed once {@link #finish()} ran, whether it gave a hash or failed. */
    private boolean finished;
    private byte[] hash;

    /** The downcalls, linked once per library. */
    private record Functions(MethodHandle newContext, MethodHandle freeContext, MethodHandle sha256,
                             MethodHandle init, MethodHandle update, MethodHandle last) {
    }

    private OpenSslSha256(Functions functions) {
        this.functions = functions;
        try {
            this.context = (MemorySegment) functions.newContext().invokeExact();
            if (context.equals(MemorySegment.NULL)) {
                throw new IllegalStateException("EVP_MD_CTX_new failed");
            }
            this.freeing = CLEANER.register(this, new Free(functions.freeContext(), context));
            int ok = (int) functions.init().invokeExact(context, (MemorySegment) functions.sha256().invokeExact(),
                    MemorySegment.NULL);
            check(ok, "EVP_DigestInit_ex");
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * Hashers over {@code library}: links the functions and checks them against the JDK's SHA-256.
     *
     * @throws IllegalStateException when the library is missing, lacks the functions or hashes wrongly
     */
    public static Supplier<Hasher> factory(String library) {
        NativeSymbols symbols = NativeSymbols.load(library);
        Linker linker = Linker.nativeLinker();
        Functions functions = new Functions(
                linker.downcallHandle(symbols.find("EVP_MD_CTX_new"), FunctionDescriptor.of(ValueLayout.ADDRESS)),
                linker.downcallHandle(symbols.find("EVP_MD_CTX_free"), FunctionDescriptor.ofVoid(ValueLayout.ADDRESS)),
                linker.downcallHandle(symbols.find("EVP_sha256"), FunctionDescriptor.of(ValueLayout.ADDRESS)),
                linker.downcallHandle(symbols.find("EVP_DigestInit_ex"), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                        ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS)),
                linker.downcallHandle(symbols.find("EVP_DigestUpdate"), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                        ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG), Linker.Option.critical(true)),
                linker.downcallHandle(symbols.find("EVP_DigestFinal_ex"), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                        ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS)));
        Supplier<Hasher> hashers = () -> new OpenSslSha256(functions);
        selfTest(hashers);
        return hashers;
    }

    /** The empty input, a short one, and a text given in odd pieces (offsets inside arrays included). */
    private static void selfTest(Supplier<Hasher> hashers) {
        byte[] text = "The quick brown fox jumps over the lazy dog; ".repeat(97).getBytes(StandardCharsets.US_ASCII);
        byte[] expected = Digest.newMessageDigest("sha256").digest(text);
        for (int piece : new int[]{text.length, 1, 63, 64, 65, 1000}) {
            Hasher hasher = hashers.get();
            for (int at = 0; at < text.length; at += piece) {
                hasher.update(text, at, Math.min(piece, text.length - at));
            }
            if (!Arrays.equals(hasher.finish(), expected)) {
                throw new IllegalStateException("OpenSSL's SHA-256 failed its self-test (pieces of " + piece + ")");
            }
        }
        Hasher empty = hashers.get();
        if (!Arrays.equals(empty.finish(), Digest.newMessageDigest("sha256").digest(new byte[0]))) {
            throw new IllegalStateException("OpenSSL's SHA-256 failed its self-test (empty input)");
        }
    }

    @Override
    public void update(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (finished) {
            throw new IllegalStateException("this hash is finished");
        }
        MemorySegment all = MemorySegment.ofArray(bytes);
        try {
            for (int at = offset, end = offset + length; at < end; at += MAX_CALL) {
                int n = Math.min(MAX_CALL, end - at);
                int ok = (int) functions.update().invokeExact(context, all.asSlice(at, n), (long) n);
                check(ok, "EVP_DigestUpdate");
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        } finally {
            // the context is freed when this becomes unreachable: not before the native call using it has returned
            Reference.reachabilityFence(this);
        }
    }

    @Override
    public byte[] finish() {
        if (finished) {
            if (hash == null) {
                throw new IllegalStateException("this hash failed to finish");
            }
            return hash.clone();
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(32);
            int ok = (int) functions.last().invokeExact(context, out, MemorySegment.NULL);
            check(ok, "EVP_DigestFinal_ex");
            hash = out.toArray(ValueLayout.JAVA_BYTE);
            return hash.clone();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        } finally {
            finished = true;
            freeing.clean();
            Reference.reachabilityFence(this);
        }
    }

    private static void check(int ok, String call) {
        if (ok != 1) {
            throw new IllegalStateException(call + " failed");
        }
    }

    /** Frees a context; holds no reference to the hash, or the hash could never become unreachable. */
    private record Free(MethodHandle freeContext, MemorySegment context) implements Runnable {
        @Override
        public void run() {
            try {
                freeContext.invokeExact(context);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }
    }
}
