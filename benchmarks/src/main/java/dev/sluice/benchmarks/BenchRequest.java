package dev.sluice.benchmarks;

import static java.util.Objects.requireNonNull;

import dev.sluice.routing.RequestView;
import java.net.InetAddress;
import java.util.List;

/**
 * A fixed request head for benchmarks: no parsing, no allocation per accessor call, so a
 * benchmark measures the routing code and not the view. Header lookup is case-insensitive over a
 * handful of names, as a decoded request head would be.
 */
final class BenchRequest implements RequestView {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final String path;
    private final String uri;
    private final String[] headerNames;
    private final List<List<String>> headerValues;

    private BenchRequest(String uri, String[] headerNames, List<List<String>> headerValues) {
        this.uri = requireNonNull(uri, "uri");
        int query = uri.indexOf('?');
        this.path = query < 0 ? uri : uri.substring(0, query);
        this.headerNames = headerNames;
        this.headerValues = headerValues;
    }

    /** {@code GET uri} with a {@code Host} header and two ordinary headers. */
    static BenchRequest get(String uri, String host) {
        return new BenchRequest(uri,
                new String[] {"Host", "User-Agent", "Accept"},
                List.of(List.of(host), List.of("wrk"), List.of("*/*")));
    }

    @Override
    public String method() {
        return "GET";
    }

    @Override
    public String uri() {
        return uri;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public List<String> headerLines(String name) {
        for (int i = 0; i < headerNames.length; i++) {
            if (headerNames[i].equalsIgnoreCase(name)) {
                return headerValues.get(i);
            }
        }
        return List.of();
    }

    @Override
    public InetAddress clientAddress() {
        return LOOPBACK;
    }

    @Override
    public int localPort() {
        return 80;
    }

    @Override
    public String sni() {
        return null;
    }

    @Override
    public String toString() {
        return "GET " + uri + " Host: " + headerValues.get(0).get(0);
    }
}
