package dev.sluice.routing.config;

/**
 * {@code option httpchk [METHOD] [URI] [VERSION]} with its {@code http-check expect} rule, for the
 * health module; a backend without it is checked by TCP connect.
 *
 * @param expect {@code null}: any 2xx or 3xx status passes (HAProxy's default)
 */
public record HttpCheckConfig(String method, String uri, String version, HttpCheckExpect expect) {

    public static final HttpCheckConfig DEFAULT = new HttpCheckConfig("OPTIONS", "/", "HTTP/1.0");

    /** Without an expect rule. */
    public HttpCheckConfig(String method, String uri, String version) {
        this(method, uri, version, (HttpCheckExpect) null);
    }

    /** With {@code http-check expect status CODES}; {@code expectStatus} {@code null}: none. */
    public HttpCheckConfig(String method, String uri, String version, String expectStatus) {
        this(method, uri, version, expectStatus == null ? null
                : new HttpCheckExpect(false, HttpCheckExpect.Kind.STATUS, expectStatus));
    }

    /** The status list or range of a plain {@code expect status}, else {@code null}. */
    public String expectStatus() {
        return expect != null && !expect.negated() && expect.kind() == HttpCheckExpect.Kind.STATUS
                ? expect.pattern() : null;
    }

    public HttpCheckConfig withExpect(HttpCheckExpect e) {
        return new HttpCheckConfig(method, uri, version, e);
    }
}
