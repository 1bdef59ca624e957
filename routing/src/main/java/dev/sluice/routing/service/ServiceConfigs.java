package dev.sluice.routing.service;

import static java.util.Objects.requireNonNull;

import dev.sluice.routing.config.AclConfig;
import dev.sluice.routing.config.BackendConfig;
import dev.sluice.routing.config.BindConfig;
import dev.sluice.routing.config.ConfigMessage;
import dev.sluice.routing.config.ConfigParser;
import dev.sluice.routing.config.ConfigRenderer;
import dev.sluice.routing.config.FrontendConfig;
import dev.sluice.routing.config.GlobalConfig;
import dev.sluice.routing.config.HttpRuleConfig;
import dev.sluice.routing.config.ParseResult;
import dev.sluice.routing.config.ProxyConfig;
import dev.sluice.routing.config.ProxySettings;
import dev.sluice.routing.config.UseBackendConfig;
import dev.sluice.routing.config.UserlistConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The effective configuration: the static configuration with every service added as Docker
 * Flow Proxy's templates would add it. Http destinations become ACLs and {@code use_backend}
 * rules of frontend {@code services} (after its static rules, services in Docker Flow Proxy's
 * order: {@code /.well-known} first, {@code /} last, the rest by aclName) and a backend each;
 * tcp destinations become a frontend {@code tcpFE_<srcPort>} per port, sni destinations a frontend
 * {@code service_<srcPort>} per port that routes by the TLS SNI (see {@link SniTemplates}). The generated lines are
 * parsed by the same parser as a configuration file, behind a {@code defaults} section carrying
 * the settings of frontend {@code services}, so a service runs with the timeouts, retries and
 * options the static configuration gives that frontend.
 */
public final class ServiceConfigs {

    /** The frontend that static and dynamic http routes share. */
    public static final String SERVICES = "services";

    /** The userlist {@code USERS} becomes, which every service may name. */
    static final String GLOBAL_USERLIST = "defaultUsers";

    private ServiceConfigs() {
    }

    /** The backends {@link #build} generates for {@code spec}, in destination order. */
    public static List<String> backendNames(ServiceSpec spec) {
        List<String> names = new ArrayList<>();
        for (Destination d : spec.destinations()) {
            if (d.port() > 0) {
                names.add(ServiceTemplates.backendName(spec, d));
            }
        }
        for (Destination d : spec.destinations()) {
            if (d.isHttp() && d.httpsPort() > 0) {
                names.add(ServiceTemplates.httpsBackendName(spec, d));
            }
        }
        return names;
    }

    /**
     * {@code base} with {@code services} added.
     *
     * @throws ServiceException 409 when a service conflicts with the static configuration or
     *                          another service (a name, a tcp port), 400 when its lines do not parse
     */
    public static ProxyConfig build(ProxyConfig base, Collection<ServiceSpec> services, ServiceDefaults defaults)
            throws ServiceException {
        return build(base, services, defaults, new ServiceFragments());
    }

    /**
     * Like the other, parsing only the services {@code fragments} does not hold yet (the ones
     * added or changed since its last build) and keeping their fragments for the next build.
     */
    public static ProxyConfig build(ProxyConfig base, Collection<ServiceSpec> services, ServiceDefaults defaults,
                                    ServiceFragments fragments) throws ServiceException {
        requireNonNull(base, "base");
        requireNonNull(defaults, "defaults");
        requireNonNull(fragments, "fragments");
        if (services.isEmpty()) {
            fragments.commit(List.of());
            return base;
        }
        try {
            ProxyConfig built = assemble(base, services, defaults, fragments);
            fragments.commit(services);
            return built;
        } finally {
            fragments.abandon();
        }
    }

    private static ProxyConfig assemble(ProxyConfig base, Collection<ServiceSpec> services, ServiceDefaults defaults,
                                        ServiceFragments fragments) throws ServiceException {
        List<ServiceSpec> sorted = inOrder(services);
        FrontendConfig front = base.frontend(SERVICES);
        boolean anyHttp = sorted.stream().anyMatch(s -> s.destinations().stream().anyMatch(Destination::isHttp));
        if (front == null && anyHttp) {
            throw new ServiceException(409, "the configuration has no frontend '" + SERVICES
                    + "' to route http services from (declare one, or run on the embedded configuration)");
        }
        ProxySettings settings = front == null ? ProxySettings.DEFAULT : front.settings();
        ServiceFragments.Header header = fragments.header(settings, defaults);
        if (header == null) {
            ServiceTemplates.Text text = header(settings, defaults);
            header = new ServiceFragments.Header(settings, defaults, text.toString(),
                    defaults.users().isBlank() ? List.of() : parse(text, "").userlists());
            fragments.keep(header);
        }
        String headerText = header.text();
        String globalUserlist = defaults.users().isBlank() ? null : GLOBAL_USERLIST;
        Dynamic dynamic = new Dynamic();
        dynamic.userlists.addAll(header.globalUserlists());
        Map<String, String> backendOwners = new HashMap<>();
        for (ServiceSpec s : sorted) {
            ServiceFragments.Fragment f = fragments.of(s, headerText, globalUserlist);
            for (var b : f.backends()) {
                String other = backendOwners.putIfAbsent(b.name(), s.serviceName());
                if (other != null) {
                    throw new ServiceException(409, "service " + s.serviceName() + ": backend '" + b.name()
                            + "' is also service " + other + "'s (backend names must be unique; choose another aclName)");
                }
            }
            dynamic.add(f);
        }
        ServiceTemplates.Text tcp = new ServiceTemplates.Text();
        tcp.raw(headerText);
        int headerLines = tcp.lines();
        tcpFrontends(base, sorted, tcp);
        if (tcp.lines() > headerLines) {
            ProxyConfig parsed = parse(tcp, "");
            for (var b : parsed.backends()) {
                String other = backendOwners.putIfAbsent(b.name(), "");
                if (other != null) {
                    throw new ServiceException(409, "backend '" + b.name() + "' of a tcp service is also service "
                            + other + "'s (backend names must be unique; choose another aclName)");
                }
            }
            dynamic.frontends.addAll(parsed.frontends());
            dynamic.backends.addAll(parsed.backends());
        }
        return merge(base, dynamic.config(anyHttp, settings));
    }

    /**
     * {@code services} in Docker Flow Proxy's order for the frontend: those claiming a
     * {@code /.well-known} path first, those claiming {@code /} last, by {@code aclName} within
     * each. Each service's paths are looked at once, not in every comparison of the sort.
     */
    private static List<ServiceSpec> inOrder(Collection<ServiceSpec> services) {
        record Keyed(int rank, String aclName, ServiceSpec spec) {
        }
        List<Keyed> keyed = new ArrayList<>(services.size());
        for (ServiceSpec s : services) {
            keyed.add(new Keyed((s.hasWellKnown() ? 0 : 2) + (s.hasRoot() ? 1 : 0), s.aclName(), s));
        }
        keyed.sort(Comparator.comparingInt(Keyed::rank).thenComparing(Keyed::aclName));
        List<ServiceSpec> sorted = new ArrayList<>(keyed.size());
        for (Keyed k : keyed) {
            sorted.add(k.spec());
        }
        return sorted;
    }

    /**
     * What every service's lines are parsed behind: a {@code defaults} section with the settings
     * of frontend {@code services}, and {@code USERS}' userlist when it is set.
     */
    private static ServiceTemplates.Text header(ProxySettings settings, ServiceDefaults defaults)
            throws ServiceException {
        ServiceTemplates.Text header = new ServiceTemplates.Text();
        header.raw(ConfigRenderer.renderDefaults(withBackendDefaults(settings)));
        if (!defaults.users().isBlank()) {
            header.owner("USERS");
            header.section("userlist " + GLOBAL_USERLIST);
            for (ServiceUser u : Users.parse("USERS", defaults.users(), defaults.usersPassEncrypted(), true)) {
                header.line("user " + ConfigRenderer.quote(u.name()) + (u.encrypted() ? " password " : " insecure-password ")
                        + ConfigRenderer.quote(u.password()));
            }
        }
        return header;
    }

    /** The parsed {@code text}, or the first error as the service whose line it is. */
    private static ProxyConfig parse(ServiceTemplates.Text text, String fallbackOwner) throws ServiceException {
        ParseResult parsed = ConfigParser.parse(text.toString(), "(services)", Path.of("."));
        if (!parsed.errors().isEmpty()) {
            ConfigMessage e = parsed.errors().get(0);
            String owner = text.ownerOf(e.line());
            owner = owner.isEmpty() ? fallbackOwner : owner;
            throw new ServiceException(400, (owner.isEmpty() ? "" : "service " + owner + ": ") + e.message());
        }
        return parsed.config();
    }

    /** The services' part of the configuration, assembled from their fragments in order. */
    private static final class Dynamic {
        final List<UserlistConfig> userlists = new ArrayList<>();
        final List<AclConfig> acls = new ArrayList<>();
        final List<HttpRuleConfig> requestRules = new ArrayList<>();
        final List<UseBackendConfig> useBackends = new ArrayList<>();
        final List<FrontendConfig> frontends = new ArrayList<>();
        final List<BackendConfig> backends = new ArrayList<>();
        String defaultBackend;

        void add(ServiceFragments.Fragment f) {
            userlists.addAll(f.userlists());
            acls.addAll(f.acls());
            requestRules.addAll(f.requestRules());
            useBackends.addAll(f.useBackends());
            if (f.defaultBackend() != null) {
                defaultBackend = f.defaultBackend(); // the last one wins, as in one frontend section
            }
            backends.addAll(f.backends());
        }

        ProxyConfig config(boolean anyHttp, ProxySettings settings) {
            List<FrontendConfig> all = new ArrayList<>();
            if (anyHttp) {
                all.add(new FrontendConfig(SERVICES, settings, List.of(), acls, requestRules, List.of(), useBackends,
                        defaultBackend, null));
            }
            all.addAll(frontends);
            return new ProxyConfig(GlobalConfig.DEFAULT, all, backends, userlists,
                    List.of());
        }
    }

    /** Frontend settings plus what Docker Flow Proxy's defaults give every backend. */
    private static ProxySettings withBackendDefaults(ProxySettings s) {
        return new ProxySettings(s.mode(), s.timeouts(), s.forwardFor(), s.connectionMode(),
                ProxySettings.DEFAULT_RETRIES, true, 0, s.errorFiles());
    }

    private static void tcpFrontends(ProxyConfig base, List<ServiceSpec> sorted, ServiceTemplates.Text text)
            throws ServiceException {
        Set<Integer> staticPorts = new HashSet<>();
        for (FrontendConfig f : base.frontends()) {
            for (BindConfig b : f.binds()) {
                staticPorts.add(b.port());
            }
        }
        Map<Integer, List<Object[]>> byPort = new LinkedHashMap<>();
        Map<Integer, List<SniTemplates.Entry>> sniByPort = new java.util.TreeMap<>();
        Map<Integer, String> catchAll = new HashMap<>();
        Map<Integer, String> portMode = new HashMap<>();
        for (ServiceSpec s : sorted) {
            for (int i = 0; i < s.destinations().size(); i++) {
                Destination d = s.destinations().get(i);
                if (d.isHttp()) {
                    continue;
                }
                if (staticPorts.contains(d.srcPort())) {
                    throw new ServiceException(409, "service " + s.serviceName() + ": srcPort " + d.srcPort()
                            + " is a port of the static configuration");
                }
                String mode = portMode.putIfAbsent(d.srcPort(), d.reqMode());
                if (mode != null && !mode.equals(d.reqMode())) {
                    throw new ServiceException(409, "service " + s.serviceName() + ": srcPort " + d.srcPort()
                            + " already serves reqMode " + mode + " (expected another srcPort for reqMode "
                            + d.reqMode() + ")");
                }
                if (d.reqMode().equals("sni")) {
                    sniByPort.computeIfAbsent(d.srcPort(), p -> new ArrayList<>())
                            .add(new SniTemplates.Entry(s, d, i + 1));
                    continue;
                }
                if (d.serviceDomain().isEmpty()) {
                    String holder = catchAll.putIfAbsent(d.srcPort(), s.serviceName());
                    if (holder != null && !holder.equals(s.serviceName())) {
                        throw new ServiceException(409, "service " + s.serviceName() + ": srcPort " + d.srcPort()
                                + " is already taken by service " + holder);
                    }
                }
                byPort.computeIfAbsent(d.srcPort(), p -> new ArrayList<>()).add(new Object[] {s, d});
            }
        }
        for (Map.Entry<Integer, List<Object[]>> e : byPort.entrySet()) {
            int port = e.getKey();
            Destination first = (Destination) e.getValue().get(0)[1];
            text.owner(((ServiceSpec) e.getValue().get(0)[0]).serviceName());
            text.section("frontend tcpFE_" + port);
            text.line("bind *:" + port);
            text.line("mode tcp");
            if (first.timeoutClient() >= 0) {
                text.line("timeout client " + first.timeoutClient() + "s");
            }
            for (Object[] sd : e.getValue()) {
                ServiceSpec s = (ServiceSpec) sd[0];
                Destination d = (Destination) sd[1];
                text.owner(s.serviceName());
                String backend = ServiceTemplates.backendName(s, d);
                if (d.serviceDomain().isEmpty()) {
                    text.line("default_backend " + backend);
                } else {
                    String acl = "domain_" + s.aclName() + d.port() + "_" + d.index();
                    text.line("acl " + acl + " " + d.domainAlgo() + " -i " + String.join(" ", d.serviceDomain()));
                    text.line("use_backend " + backend + " if " + acl);
                }
            }
            for (Object[] sd : e.getValue()) {
                text.owner(((ServiceSpec) sd[0]).serviceName());
                ServiceTemplates.tcpBackend((ServiceSpec) sd[0], (Destination) sd[1], text);
            }
        }
        for (Map.Entry<Integer, List<SniTemplates.Entry>> e : sniByPort.entrySet()) {
            SniTemplates.frontend(e.getKey(), e.getValue(), text);
            for (SniTemplates.Entry sd : e.getValue()) {
                text.owner(sd.service().serviceName());
                ServiceTemplates.tcpBackend(sd.service(), sd.destination(), text);
            }
        }
    }

    private static ProxyConfig merge(ProxyConfig base, ProxyConfig dynamic) throws ServiceException {
        List<FrontendConfig> frontends = new ArrayList<>(base.frontends());
        for (FrontendConfig f : dynamic.frontends()) {
            if (f.name().equals(SERVICES)) {
                FrontendConfig s = base.frontend(SERVICES);
                if (s == null) {
                    continue; // only tcp services: checked above
                }
                frontends.set(frontends.indexOf(s), merged(s, f));
            } else if (base.hasFrontend(f.name())) {
                throw new ServiceException(409, "frontend " + f.name() + " is a frontend of the static configuration");
            } else {
                frontends.add(f);
            }
        }
        List<BackendConfig> backends = new ArrayList<>(base.backends());
        for (var b : dynamic.backends()) {
            if (base.backend(b.name()) != null) {
                throw new ServiceException(409, "backend " + b.name() + " is a backend of the static configuration "
                        + "(choose another aclName)");
            }
            backends.add(b);
        }
        List<UserlistConfig> userlists = new ArrayList<>(base.userlists());
        for (UserlistConfig u : dynamic.userlists()) {
            if (base.userlist(u.name()) != null) {
                throw new ServiceException(409, "userlist " + u.name() + " is a userlist of the static configuration");
            }
            userlists.add(u);
        }
        return new ProxyConfig(base.global(), frontends, backends, userlists, base.resolvers());
    }

    private static FrontendConfig merged(FrontendConfig base, FrontendConfig dyn) {
        List<AclConfig> acls = new ArrayList<>(base.acls());
        acls.addAll(dyn.acls());
        List<HttpRuleConfig> rules = new ArrayList<>(base.requestRules());
        rules.addAll(dyn.requestRules());
        List<UseBackendConfig> use = new ArrayList<>(base.useBackends());
        use.addAll(dyn.useBackends());
        String defaultBackend = dyn.defaultBackend() != null ? dyn.defaultBackend() : base.defaultBackend();
        return new FrontendConfig(base.name(), base.settings(), base.binds(), acls, rules, base.responseRules(),
                use, defaultBackend, base.monitorUri(), base.tcpRequest());
    }
}
