package dev.sluice.proxy;

import dev.sluice.routing.ClientCertificate;
import dev.sluice.routing.RequestView;
import io.netty.handler.codec.http.HttpRequest;

import java.net.InetAddress;
import java.util.List;

/**
 * {@link RequestView} over a decoded request head. The head may be rewritten by
 * {@code http-request} actions while rules run; the path is derived again after a rewrite. One
 * object per client connection, {@linkplain #reset reset} for each of its requests.
 */
final class HttpRequestView implements RequestView {

    private HttpRequest request;
    private final ConnectionInfo connection;
    private final String sni;
    private String pathOf;
    private String path;
    private boolean acceptsTrailers;

    HttpRequestView(HttpRequest request, ConnectionInfo connection, String sni) {
        this.request = request;
        this.connection = connection;
        this.sni = sni;
    }

    /** The view of the connection's next request. */
    void reset(HttpRequest next) {
        request = next;
        pathOf = null;
        path = null;
        acceptsTrailers = false;
    }

    ConnectionInfo connection() {
        return connection;
    }

    HttpRequest request() {
        return request;
    }

    /** Whether the client sent {@code TE: trailers} (recorded before hop-by-hop headers are removed). */
    boolean acceptsTrailers() {
        return acceptsTrailers;
    }

    void acceptsTrailers(boolean accepts) {
        this.acceptsTrailers = accepts;
    }

    @Override
    public String method() {
        return request.method().name();
    }

    @Override
    public String uri() {
        return request.uri();
    }

    @Override
    public String path() {
        String uri = request.uri();
        if (uri != pathOf) {
            path = pathOf(uri);
            pathOf = uri;
        }
        return path;
    }

    @Override
    public List<String> headerLines(String name) {
        return request.headers().getAll(name);
    }

    @Override
    public InetAddress clientAddress() {
        return connection.client();
    }

    @Override
    public int localPort() {
        return connection.localPort();
    }

    @Override
    public String sni() {
        return sni;
    }

    @Override
    public boolean isTls() {
        return connection.tls();
    }

    @Override
    public ClientCertificate clientCertificate() {
        return connection.clientCertificate();
    }

    /** The path of a request target: origin form up to '?', or the path of an absolute URI. */
    static String pathOf(String uri) {
        int start = 0;
        if (!uri.startsWith("/")) {
            int scheme = uri.indexOf("://");
            if (scheme > 0) {
                int slash = uri.indexOf('/', scheme + 3);
                if (slash < 0) {
                    return "/";
                }
                start = slash;
            }
        }
        int end = uri.indexOf('?', start);
        if (end < 0) {
            end = uri.indexOf('#', start);
        }
        return start == 0 && end < 0 ? uri : uri.substring(start, end < 0 ? uri.length() : end);
    }

    /** The query of a request target including its leading '?', or "". */
    static String queryOf(String uri) {
        int q = uri.indexOf('?');
        return q < 0 ? "" : uri.substring(q);
    }
}
