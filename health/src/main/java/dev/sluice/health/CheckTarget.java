package dev.sluice.health;

import dev.sluice.routing.Backend;
import dev.sluice.routing.Server;
import dev.sluice.routing.config.HealthCheckConfig;
import dev.sluice.routing.config.HttpCheckConfig;
import dev.sluice.routing.config.HttpCheckExpect;
import dev.sluice.proxy.OriginTls;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import javax.net.ssl.SSLException;
import java.util.regex.Pattern;

/**
 * What one checker checks, from the current routing table: the server, its check options, the
 * backend's HTTP check ({@code null}: TCP connect) and the timeout of one check.
 *
 * @param timeoutMs {@code timeout check} when set, else {@code inter}: the whole check (connect,
 *                  request, response head and the part of the body that is read) must fit in it
 * @param regex     the compiled pattern of an {@code rstatus} or {@code rstring} expect, else {@code null}
 * @param tls       the client TLS context of checks over TLS ({@code ssl} or {@code check-ssl}), else {@code null}
 * @param tlsError  why the TLS context could not be built (every check fails with it), else {@code null}
 */
record CheckTarget(Server server, HealthCheckConfig config, HttpCheckConfig http, long timeoutMs, Pattern regex,
                   SslContext tls, String tlsError) {

    /** The SNI of checks: {@code check-sni} (HAProxy sends none otherwise). */
    String sni() {
        return server.tls().checkSni();
    }

    /** The name the certificate must hold: the check SNI, else {@code verifyhost}; {@code null}: none. */
    String nameToVerify() {
        return OriginTls.nameToVerify(server.tls(), sni());
    }

    static CheckTarget of(Server s, Backend b, OriginTls originTls) {
        SslContext tls = null;
        String tlsError = null;
        if (s.tls().checksOverTls(s.check())) {
            try {
                tls = originTls.context(s.tls());
            } catch (SSLException e) {
                tlsError = "Layer6 " + e.getMessage();
            }
        }
        HealthCheckConfig c = s.check();
        HttpCheckConfig http = b.httpCheck();
        long checkMs = b.timeouts() == null ? 0 : b.timeouts().checkMs();
        Pattern regex = null;
        if (http != null && http.expect() != null) {
            HttpCheckExpect.Kind k = http.expect().kind();
            if (k == HttpCheckExpect.Kind.RSTATUS || k == HttpCheckExpect.Kind.RSTRING) {
                regex = Pattern.compile(http.expect().pattern());
            }
        }
        return new CheckTarget(s, c, http, checkMs > 0 ? checkMs : c.interMs(), regex, tls, tlsError);
    }

    /**
     * Where the check connects: {@code addr} and {@code port} when given; else a DNS-discovered
     * slot's address, else the server's host and port. {@code null}: a slot without an address.
     */
    InetSocketAddress address() {
        InetSocketAddress slot = server.state().address();
        if (server.state().isSlot() && slot == null) {
            return null;
        }
        int port = config.port() > 0 ? config.port() : slot != null ? slot.getPort() : server.port();
        if (config.addr() != null) {
            return InetSocketAddress.createUnresolved(config.addr(), port);
        }
        if (slot != null) {
            return slot.isUnresolved() ? InetSocketAddress.createUnresolved(slot.getHostString(), port)
                    : new InetSocketAddress(slot.getAddress(), port);
        }
        return InetSocketAddress.createUnresolved(server.host(), port);
    }

    /** The highest health value: the server is fully UP (HAProxy's {@code rise + fall - 1}). */
    int maxHealth() {
        return config.rise() + config.fall() - 1;
    }
}
