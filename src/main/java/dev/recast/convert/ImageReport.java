package dev.recast.convert;

import dev.recast.model.Digest;
import dev.recast.model.MediaType;
import dev.recast.model.Platform;

import java.util.List;

/** One single-platform image of a conversion (the only one, or one child of an index). */
public record ImageReport(Platform platform, MediaType sourceMediaType, Digest sourceDigest,
                          MediaType targetMediaType, Digest targetDigest, Digest configDigest,
                          List<LayerReport> layers, String note) {
}
