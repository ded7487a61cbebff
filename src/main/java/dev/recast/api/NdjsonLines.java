package dev.recast.api;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * A streamed response of NDJSON: each event one JSON line, flushed at once so the client sees it as it happens.
 * Events arrive from several threads (layers, images), one line at a time.
 */
record NdjsonLines(ObjectMapper json, OutputStream out) {

    synchronized void write(Object event) {
        try {
            out.write(json.writeValueAsBytes(event));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("the client went away", e);
        }
    }
}
