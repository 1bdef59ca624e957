package dev.sluice.routing;

/**
 * Request size limits of the HTTP decoder. HAProxy-like defaults: a request line and headers
 * must fit in {@code tune.bufsize} (16 KiB) and at most {@code tune.http.maxhdr} (101) headers.
 * Sluice answers 414 for a request line over {@code maxRequestLine} and 431 for headers over
 * {@code maxHeaderSize} or {@code maxHeaders}.
 */
public record HttpLimits(int maxRequestLine, int maxHeaderSize, int maxHeaders) {

    public static final HttpLimits DEFAULT = new HttpLimits(8192, 16384, 101);
}
