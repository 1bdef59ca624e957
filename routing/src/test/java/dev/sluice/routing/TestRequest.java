package dev.sluice.routing;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A {@link RequestView} for tests, built fluently. */
public class TestRequest implements RequestView {

    private String method = "GET";
    private String uri = "/";
    private final List<String[]> headers = new ArrayList<>();
    private InetAddress client = address("10.0.0.1");
    private int localPort = 80;
    private String sni;
    private boolean tls;

    public static TestRequest get(String uri) {
        return new TestRequest().uri(uri);
    }

    public static TestRequest tcp() {
        TestRequest r = new TestRequest();
        r.method = null;
        r.uri = null;
        return r;
    }

    public TestRequest method(String m) {
        this.method = m;
        return this;
    }

    public TestRequest uri(String u) {
        this.uri = u;
        return this;
    }

    public TestRequest header(String name, String value) {
        headers.add(new String[] {name, value});
        return this;
    }

    public TestRequest host(String value) {
        return header("Host", value);
    }

    public TestRequest client(String ip) {
        this.client = address(ip);
        return this;
    }

    public TestRequest localPort(int port) {
        this.localPort = port;
        return this;
    }

    public TestRequest sni(String name) {
        this.sni = name;
        return this;
    }

    public TestRequest tls(boolean on) {
        this.tls = on;
        return this;
    }

    public static InetAddress address(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(ip, e);
        }
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String uri() {
        return uri;
    }

    @Override
    public String path() {
        if (uri == null) {
            return null;
        }
        int q = uri.indexOf('?');
        return q < 0 ? uri : uri.substring(0, q);
    }

    @Override
    public List<String> headerLines(String name) {
        List<String> out = new ArrayList<>();
        for (String[] h : headers) {
            if (h[0].toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                out.add(h[1]);
            }
        }
        return out;
    }

    @Override
    public InetAddress clientAddress() {
        return client;
    }

    @Override
    public int localPort() {
        return localPort;
    }

    @Override
    public String sni() {
        return sni;
    }

    @Override
    public boolean isTls() {
        return tls;
    }

    @Override
    public String toString() {
        return method + " " + uri + " " + headers.stream().map(h -> h[0] + ": " + h[1]).toList();
    }
}
