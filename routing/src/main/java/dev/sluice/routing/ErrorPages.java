package dev.sluice.routing;

import java.util.Map;

/**
 * {@code errorfile CODE FILE}: per status code, the raw bytes of a complete HTTP response
 * (status line, headers, blank line, body) sent as-is, as HAProxy does.
 */
public record ErrorPages(Map<Integer, byte[]> pages) {

    public static final ErrorPages NONE = new ErrorPages(Map.of());

    public ErrorPages {
        pages = Map.copyOf(pages);
    }

    /** The raw response for {@code status}, or {@code null} for the built-in page. */
    public byte[] get(int status) {
        return pages.get(status);
    }
}
