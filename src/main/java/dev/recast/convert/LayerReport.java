package dev.recast.convert;

import dev.recast.model.Digest;
import dev.recast.model.MediaType;

/** One layer of a conversion: before, after, and what was done. */
public record LayerReport(int index, LayerAction action, MediaType sourceMediaType, Digest sourceDigest,
                          long sourceSize, MediaType targetMediaType, Digest targetDigest, long targetSize,
                          Digest diffId, long millis, String note) {
}
