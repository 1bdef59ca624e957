package dev.sluice.app;

import static java.util.Objects.requireNonNull;

import dev.sluice.health.HealthChecks;
import dev.sluice.proxy.BindFailedException;
import dev.sluice.proxy.DnsDiscovery;
import dev.sluice.proxy.ProxyServer;
import dev.sluice.proxy.TlsContexts;
import java.net.InetSocketAddress;
import dev.sluice.routing.Bind;
import dev.sluice.routing.Frontend;
import dev.sluice.routing.RoutingCompiler;
import dev.sluice.routing.RoutingTable;
import dev.sluice.routing.config.ProxyConfig;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A running Sluice: the compiled routing table, the data plane serving it, the DNS discovery
 * that fills its {@code server-template} slots, and the health checks of its servers.
 */
public final class Sluice implements AutoCloseable {

    private final ProxyServer proxy;
    private final DnsDiscovery discovery;
    private final HealthChecks checks;

    private Sluice(ProxyServer proxy, DnsDiscovery discovery, HealthChecks checks) {
        this.proxy = proxy;
        this.discovery = discovery;
        this.checks = checks;
        discovery.reconcile(proxy.table());
        checks.update(proxy.table());
    }

    /** Compiles {@code config} and binds every frontend; warnings go to {@code warnings}. */
    public static Sluice start(ProxyConfig config, PrintStream warnings) throws BindFailedException {
        requireNonNull(config, "config");
        return start(RoutingCompiler.compile(config, null), warnings);
    }

    /** Binds every frontend of {@code table}; warnings go to {@code warnings}. */
    public static Sluice start(RoutingTable table, PrintStream warnings) throws BindFailedException {
        return start(table, warnings, List.of());
    }

    /**
     * Like the other; {@code nameservers} ({@code RESOLVERS}) resolve the server-template names
     * whose servers name no {@code resolvers} section; empty: {@code /etc/resolv.conf}.
     */
    public static Sluice start(RoutingTable table, PrintStream warnings, List<InetSocketAddress> nameservers)
            throws BindFailedException {
        return start(table, warnings, nameservers, null);
    }

    /**
     * Like the other; {@code tls} gives the certificates of {@code ssl} binds ({@code null}: such
     * binds are not opened, with a warning).
     */
    public static Sluice start(RoutingTable table, PrintStream warnings, List<InetSocketAddress> nameservers,
                               TlsContexts tls) throws BindFailedException {
        requireNonNull(table, "table");
        requireNonNull(nameservers, "nameservers");
        for (Frontend f : table.frontends()) {
            for (Bind b : f.binds()) {
                if (b.ssl() && tls == null && warnings != null) {
                    warnings.println("warning: frontend '" + f.name() + "': bind " + (b.host() == null ? "" : b.host())
                            + ':' + b.port() + " ssl is not opened: no certificates were loaded");
                }
            }
        }
        ProxyServer proxy = ProxyServer.start(table, Runtime.getRuntime().availableProcessors(), tls);
        return new Sluice(proxy, DnsDiscovery.start(DnsDiscovery.Settings.DEFAULT.withNameservers(nameservers)),
                HealthChecks.start());
    }

    /**
     * Publishes {@code table} to the data plane (on a bind failure nothing changed), then gives
     * its server-template slots to DNS discovery and reconciles the health checks with it.
     */
    public void publish(RoutingTable table) throws BindFailedException {
        proxy.update(table);
        discovery.reconcile(table);
        checks.update(table);
    }

    public static Sluice start(ProxyConfig config) throws BindFailedException {
        return start(config, System.err);
    }

    /** The statistics on every http frontend ({@code null}: none). */
    public void frontendStats(dev.sluice.proxy.FrontendStats stats) {
        proxy.frontendStats(stats);
    }

    /** One access-log line per request from now on ({@code null}: none). */
    public void accessLog(dev.sluice.proxy.AccessLog log) {
        proxy.accessLog(log);
    }

    public ProxyServer proxy() {
        return proxy;
    }

    public RoutingTable table() {
        return proxy.table();
    }

    /** The first port bound for {@code frontend}. */
    public int port(String frontend) {
        List<Integer> ports = proxy.ports(frontend);
        if (ports.isEmpty()) {
            throw new IllegalArgumentException("frontend '" + frontend + "' has no open bind");
        }
        return ports.get(0);
    }

    String describe() {
        List<String> parts = new ArrayList<>();
        for (Frontend f : table().frontends()) {
            List<Integer> ports = proxy.ports(f.name());
            parts.add(f.name() + (ports.isEmpty() ? " (no bind)" : " on " + ports));
        }
        return String.join(", ", parts) + "; " + proxy.transport().label() + " transport";
    }

    /**
     * A graceful stop: new connections are refused, and requests in flight get up to
     * {@code graceMs} to finish ({@link ProxyServer#drain}); {@link #close} follows.
     */
    public void drain(long graceMs) {
        proxy.drain(graceMs);
    }

    @Override
    public void close() {
        checks.close();
        discovery.close();
        proxy.close();
    }
}
