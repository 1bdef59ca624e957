package dev.sluice.routing.config;

/**
 * {@code option httpchk [METHOD] [URI] [VERSION]} with {@code http-check expect status CODES}, for
 * the health module; a backend without it is checked by TCP connect.
 *
 * @param expectStatus HAProxy's status list or range (e.g. {@code 200}, {@code 200-399}), or
 *                     {@code null} for any 2xx or 3xx
 */
public record HttpCheckConfig(String method, String uri, String version, String expectStatus) {

    public static final HttpCheckConfig DEFAULT = new HttpCheckConfig("OPTIONS", "/", "HTTP/1.0", null);
}
