package dev.recast.stream;

import java.time.Instant;
import java.util.Map;

/**
 * One entry of a zstd:chunked table of contents: a tar entry's metadata and, for a regular file with content, the
 * digest of that content and where its frame lies in the blob ({@code [offset, endOffset)}).
 *
 * @param type     {@code reg}, {@code hardlink}, {@code symlink}, {@code dir}, {@code char}, {@code block}, {@code fifo}
 * @param xattrs   extended attributes, values base64 as containers/storage writes them
 * @param digest   {@code sha256:…} of the content; null for an entry without content
 * @param offset   the content frame's first byte in the blob; 0 without content
 */
public record TocEntry(String type, String name, String linkName, long mode, long size, long uid, long gid,
                       Instant modtime, long devMajor, long devMinor, Map<String, String> xattrs, String digest,
                       long offset, long endOffset) {
    public TocEntry {
        xattrs = Map.copyOf(xattrs);
    }

    TocEntry withContent(String contentDigest, long start, long end) {
        return new TocEntry(type, name, linkName, mode, size, uid, gid, modtime, devMajor, devMinor, xattrs,
                contentDigest, start, end);
    }
}
