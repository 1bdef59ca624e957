package dev.sluice.routing;

import static java.util.Objects.requireNonNull;

import dev.sluice.routing.acl.BasicAuth;
import dev.sluice.routing.acl.ConditionCompiler;
import dev.sluice.routing.acl.ContentConditions;
import dev.sluice.routing.acl.IpNet;
import dev.sluice.routing.balance.Balancers;
import dev.sluice.routing.config.AclConfig;
import dev.sluice.routing.config.BackendConfig;
import dev.sluice.routing.config.ConfigRenderer;
import dev.sluice.routing.config.ErrorFileConfig;
import dev.sluice.routing.config.ForwardForConfig;
import dev.sluice.routing.config.FrontendConfig;
import dev.sluice.routing.config.HttpRuleConfig;
import dev.sluice.routing.config.ProxyConfig;
import dev.sluice.routing.config.ProxySettings;
import dev.sluice.routing.config.ResolversConfig;
import dev.sluice.routing.config.ServerConfig;
import dev.sluice.routing.config.TcpRequestConfig;
import dev.sluice.routing.config.UserlistConfig;
import dev.sluice.routing.select.IndexedSelector;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import dev.sluice.routing.stats.TrafficBook;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles a {@link ProxyConfig} into an immutable {@link RoutingTable}. Server live state is
 * taken over by identity from the previous table for the same (backend, server) names.
 * Expects a validated config (as {@code ConfigParser} returns); throws
 * {@link IllegalArgumentException} for a reference or pattern that does not compile.
 */
public final class RoutingCompiler {

    private final RoutingTable previous;
    /** The previous table's frontend configurations by name, when its compiled rules may be taken over. */
    private final Map<String, FrontendConfig> reusableFrontends = new HashMap<>();
    private final Map<String, BasicAuth> userlists = new HashMap<>();
    private final Map<String, ResolversConfig> resolvers = new HashMap<>();
    private final int bufsize;
    /**
     * Compiled rule lists of {@code listen} sections by (ACLs, rules): its two halves get the same
     * list instance, which {@link Frontend#sharesRulesWith(Backend)} recognises. Other proxies'
     * rules are compiled on their own (a frontend's taken over from the table before).
     */
    private final Map<List<Object>, List<HttpRule>> compiledRules = new HashMap<>();
    private final dev.sluice.routing.config.ServerTlsConfig.Verify sslServerVerify;

    private RoutingCompiler(ProxyConfig config, RoutingTable previous) {
        bufsize = config.global().bufsize();
        this.sslServerVerify = config.global().sslServerVerify();
        this.previous = previous;
        for (ResolversConfig r : config.resolvers()) {
            resolvers.putIfAbsent(r.name(), r);
        }
        for (UserlistConfig u : config.userlists()) {
            userlists.putIfAbsent(u.name(), BasicAuth.of(u));
        }
    }

    /** @param previous the table in use, or {@code null} at start */
    public static RoutingTable compile(ProxyConfig config, RoutingTable previous) {
        return compile(config, null, previous);
    }

    /**
     * Like the other, taking over from {@code previous} every backend whose configuration is the
     * very object it was compiled from in {@code previousConfig} (the services that did not
     * change keep theirs), when the global settings, userlists and resolvers it depends on are the
     * same: a change of one service compiles that service's backends only. Likewise a frontend's
     * {@code use_backend} rules equal to those of the frontend of the same name in
     * {@code previousConfig} keep their compiled form and their place in its index, unless an
     * ACL they name changed (see {@link SelectorCompiler}); the table routes as a fresh compile
     * of {@code config} would.
     *
     * @param previousConfig what {@code previous} was compiled from, or {@code null}
     */
    public static RoutingTable compile(ProxyConfig config, ProxyConfig previousConfig, RoutingTable previous) {
        requireNonNull(config, "config");
        RoutingCompiler compiler = new RoutingCompiler(config, previous);
        if (previous != null && previousConfig != null && previousConfig.global().equals(config.global())
                && previousConfig.userlists().equals(config.userlists())
                && previousConfig.resolvers().equals(config.resolvers())) {
            for (FrontendConfig f : previousConfig.frontends()) {
                compiler.reusableFrontends.put(f.name(), f);
            }
            return compiler.table(config, previousConfig.backends(), previous);
        }
        return compiler.table(config, List.of(), previous);
    }

    /** The content hash of {@code config}: the first 16 hex digits of SHA-256 of its rendering. */
    public static String hash(ProxyConfig config) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(ConfigRenderer.render(config).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JRE", e);
        }
    }

    /** @param before the backends {@code previous} was compiled from, when they may be taken over; else empty */
    private RoutingTable table(ProxyConfig config, List<BackendConfig> before, RoutingTable previous) {
        List<BackendConfig> now = config.backends();
        boolean[] same = sameObjects(now, before);
        Map<String, Backend> backends = new LinkedHashMap<>(now.size() * 4 / 3 + 1);
        for (int i = 0; i < now.size(); i++) {
            BackendConfig b = now.get(i);
            // a listen's two halves share one rule list: its backend is compiled with its frontend
            Backend old = same[i] && !config.hasFrontend(b.name()) ? previous.backends().get(b.name()) : null;
            backends.put(b.name(), old != null ? old : backend(b, config.hasFrontend(b.name())));
        }
        List<Frontend> frontends = new ArrayList<>();
        for (FrontendConfig f : config.frontends()) {
            frontends.add(frontend(f, backends));
        }
        int bufsize = config.global().bufsize();
        HttpLimits limits = new HttpLimits(Math.min(HttpLimits.DEFAULT.maxRequestLine(), bufsize), bufsize,
                config.global().maxHeaders());
        long generation = previous == null ? 1 : previous.generation() + 1;
        TrafficBook traffic = TrafficBook.carryOver(previous == null ? null : previous.traffic(),
                frontends.stream().map(Frontend::name).toList(), backends.keySet());
        return new RoutingTable(generation, ContentHash.lazy(() -> hash(config)), frontends, backends, limits, config.global().maxconn(),
                traffic);
    }

    /**
     * Per backend of {@code now}, whether it is the very object of {@code before} of the same
     * name: the common start and end of the two lists are compared by position (a change of one
     * service leaves the others' backends in place), the rest by name.
     */
    private static boolean[] sameObjects(List<BackendConfig> now, List<BackendConfig> before) {
        boolean[] same = new boolean[now.size()];
        int n = now.size();
        int m = before.size();
        int p = RuleTakeover.commonPrefix(now, before, (a, b) -> a == b);
        int s = RuleTakeover.commonSuffix(now, before, p, (a, b) -> a == b);
        Arrays.fill(same, 0, p, true);
        Arrays.fill(same, n - s, n, true);
        Map<String, BackendConfig> moved = new HashMap<>();
        for (int i = p; i < m - s; i++) {
            moved.put(before.get(i).name(), before.get(i));
        }
        for (int i = p; i < n - s; i++) {
            same[i] = moved.get(now.get(i).name()) == now.get(i);
        }
        return same;
    }

    /** The live state of backend {@code name}'s servers in the previous table, by server name. */
    private Map<String, ServerState> previousStates(String name) {
        Map<String, ServerState> states = new HashMap<>();
        Backend old = previous == null ? null : previous.backends().get(name);
        if (old != null) {
            for (Server s : old.servers()) {
                states.put(s.name(), s.state());
            }
        }
        return states;
    }

    /** The nameservers of resolvers section {@code name} ({@code null} or unknown: none). */
    private List<java.net.InetSocketAddress> nameservers(String name) {
        ResolversConfig r = name == null ? null : resolvers.get(name);
        if (r == null) {
            return List.of();
        }
        return r.nameservers().stream()
                .map(n -> java.net.InetSocketAddress.createUnresolved(n.host(), n.port()))
                .toList();
    }

    /** @param listen whether {@code b} is the back half of a {@code listen} section */
    private Backend backend(BackendConfig b, boolean listen) {
        List<Server> servers = new ArrayList<>();
        Map<String, ServerState> previousStates = previousStates(b.name());
        for (ServerConfig s : b.servers()) {
            ServerState state = previousStates.computeIfAbsent(s.name(), k -> new ServerState(b.name(), s.name()));
            if (s.template() != null) {
                state.makeSlot();
            }
            servers.add(new Server(b.name(), s.name(), s.host(), s.port(), s.weight(), s.backup(),
                    s.disabled(), s.maxconn(), state, s.cookie(), s.check(), nameservers(s.resolvers()),
                    s.tls().resolve(sslServerVerify), s.h2()));
        }
        ProxySettings st = b.settings();
        ConditionCompiler conditions = new ConditionCompiler(b.acls(), userlists::get);
        return new Backend(b.name(), st.mode(), servers, Balancers.of(b.balance()),
                st.timeouts(), st.retries(), st.redispatch(), forwardFor(st.forwardFor()), st.connectionMode(),
                rules(b.acls(), b.requestRules(), conditions, listen), rules(b.acls(), b.responseRules(), conditions, listen),
                errorPages(st), b.cookie() == null ? null : b.cookie().compile(), b.httpCheck());
    }

    private Frontend frontend(FrontendConfig f, Map<String, Backend> backends) {
        ProxySettings st = f.settings();
        ConditionCompiler conditions = new ConditionCompiler(f.acls(), userlists::get);
        FrontendConfig before = reusableFrontends.get(f.name());
        Frontend was = before == null || previous == null ? null : previous.frontend(f.name());
        Set<String> changedAcls = was == null ? Set.of() : RuleTakeover.changedAclNames(before.acls(), f.acls());
        IndexedSelector selector = SelectorCompiler.compile(f, backends, conditions, userlists::get,
                was == null ? null : before, was, changedAcls);
        List<HttpRule> requestRules;
        List<HttpRule> responseRules;
        if (backends.containsKey(f.name())) {
            requestRules = rules(f.acls(), f.requestRules(), conditions, true);
            responseRules = rules(f.acls(), f.responseRules(), conditions, true);
        } else {
            requestRules = RuleTakeover.httpRules(f.requestRules(), was == null ? null : before.requestRules(),
                    was == null ? null : was.requestRules(), changedAcls, f.acls(), conditions, userlists::get);
            responseRules = RuleTakeover.httpRules(f.responseRules(), was == null ? null : before.responseRules(),
                    was == null ? null : was.responseRules(), changedAcls, f.acls(), conditions, userlists::get);
        }
        return new Frontend(f.name(), st.mode(), f.bindAddresses(), st.maxconn(), st.timeouts(),
                forwardFor(st.forwardFor()), st.connectionMode(), requestRules, responseRules, errorPages(st),
                selector, f.monitorUri(), tcpInspection(f, conditions));
    }

    /** HAProxy buffers at most {@code tune.bufsize} less {@code tune.maxrewrite} (1024, at most half). */
    private TcpInspection tcpInspection(FrontendConfig f, ConditionCompiler conditions) {
        TcpRequestConfig tcp = f.tcpRequest();
        if (tcp.contentRules().isEmpty()) {
            return TcpInspection.NONE;
        }
        ContentConditions compiler = new ContentConditions(conditions, userlists::get);
        List<TcpInspection.Rule> rules = new ArrayList<>();
        for (TcpRequestConfig.ContentRule r : tcp.contentRules()) {
            rules.add(new TcpInspection.Rule(r.accept(), compiler.compile(r.condition())));
        }
        return new TcpInspection(tcp.inspectDelayMs(), bufsize - Math.min(1024, bufsize / 2), rules);
    }

    static Backend requireBackend(Map<String, Backend> backends, String name, String frontend) {
        Backend b = backends.get(name);
        if (b == null) {
            throw new IllegalArgumentException("frontend " + frontend + ": no backend named '" + name + "'");
        }
        return b;
    }

    private List<HttpRule> rules(List<AclConfig> acls, List<HttpRuleConfig> configs, ConditionCompiler conditions,
                                 boolean listen) {
        if (configs.isEmpty()) {
            return List.of();
        }
        if (!listen) {
            return compileRules(configs, conditions);
        }
        return compiledRules.computeIfAbsent(List.of(acls, configs), k -> compileRules(configs, conditions));
    }

    private static List<HttpRule> compileRules(List<HttpRuleConfig> configs, ConditionCompiler conditions) {
        List<HttpRule> out = new ArrayList<>();
        for (HttpRuleConfig r : configs) {
            out.add(new HttpRule(r.action().toAction(), conditions.compile(r.condition())));
        }
        return List.copyOf(out);
    }

    private static ForwardFor forwardFor(ForwardForConfig f) {
        if (f == null) {
            return null;
        }
        return new ForwardFor(f.header(), f.except() == null ? null : IpNet.parse(f.except())::contains);
    }

    private static ErrorPages errorPages(ProxySettings st) {
        if (st.errorFiles().isEmpty()) {
            return ErrorPages.NONE;
        }
        Map<Integer, byte[]> pages = new HashMap<>();
        for (ErrorFileConfig e : st.errorFiles()) {
            pages.put(e.status(), e.content());
        }
        return new ErrorPages(pages);
    }
}
