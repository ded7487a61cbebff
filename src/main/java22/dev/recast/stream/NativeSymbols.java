package dev.recast.stream;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;

/**
 * A native library's functions, looked up by name (ISA-L's, OpenSSL's). The library stays loaded for the process.
 *
 * @param library the name or path it was loaded by, as failures name it
 */
record NativeSymbols(String library, SymbolLookup lookup) {

    /** @throws IllegalStateException when the loader cannot load {@code library} */
    static NativeSymbols load(String library) {
        try {
            return new NativeSymbols(library, SymbolLookup.libraryLookup(library, Arena.global()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(library + " cannot be loaded (" + e.getMessage() + ")");
        }
    }

    /** @throws IllegalStateException when the library has no such function */
    MemorySegment find(String name) {
        return lookup.find(name).orElseThrow(() -> new IllegalStateException(library + " has no " + name));
    }
}
