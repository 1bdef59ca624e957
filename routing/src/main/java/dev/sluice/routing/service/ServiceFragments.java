package dev.sluice.routing.service;

import dev.sluice.routing.config.AclConfig;
import dev.sluice.routing.config.BackendConfig;
import dev.sluice.routing.config.ConfigMessage;
import dev.sluice.routing.config.ConfigParser;
import dev.sluice.routing.config.FrontendConfig;
import dev.sluice.routing.config.HttpRuleConfig;
import dev.sluice.routing.config.ParseResult;
import dev.sluice.routing.config.ProxyConfig;
import dev.sluice.routing.config.ProxySettings;
import dev.sluice.routing.config.UseBackendConfig;
import dev.sluice.routing.config.UserlistConfig;

import java.nio.file.Path;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Each service's part of the effective configuration (its userlist, its lines in frontend
 * {@code services}, its http backends), generated and parsed once and kept while the service and
 * the section it is parsed behind stay the same. A change of one service then parses that
 * service's lines only, not every service's: with 100 services this was about half the CPU of a
 * {@code reconfigure}.
 *
 * <p>Not thread-safe: one writer (the registry's) uses it. Services are matched by identity: the
 * registry keeps the same {@link ServiceSpec} object while a service is unchanged.
 */
public final class ServiceFragments {

    /** What one service adds; the lists keep the order of its generated lines. */
    record Fragment(List<UserlistConfig> userlists, List<AclConfig> acls, List<HttpRuleConfig> requestRules,
                    List<UseBackendConfig> useBackends, String defaultBackend, List<BackendConfig> backends) {
    }

    /**
     * The text every service is parsed behind, for the settings of frontend {@code services} and
     * the service defaults it was made from, with the global users' userlist parsed from it (empty
     * when {@code USERS} is not set).
     */
    record Header(ProxySettings settings, ServiceDefaults defaults, String text, List<UserlistConfig> globalUserlists) {
    }

    private Header lastHeader;
    private String header = "";
    private Map<ServiceSpec, Fragment> kept = new IdentityHashMap<>();
    /** Parsed during the build under way; kept only if that build succeeds. */
    private final Map<ServiceSpec, Fragment> fresh = new IdentityHashMap<>();

    /**
     * The fragment of {@code spec} parsed behind {@code header} (the {@code defaults} section and,
     * when {@code USERS} is set, the global users' userlist {@code globalUserlist}, which the
     * service's lines may name; {@code null} when it is not set).
     *
     * @throws ServiceException 400 when the service's lines do not parse
     */
    Fragment of(ServiceSpec spec, String header, String globalUserlist) throws ServiceException {
        if (!header.equals(this.header)) {
            this.header = header;
            kept = new IdentityHashMap<>();
            fresh.clear();
        }
        Fragment f = kept.get(spec);
        if (f == null) {
            f = fresh.get(spec);
        }
        if (f == null) {
            f = parse(spec, header, globalUserlist);
            fresh.put(spec, f);
        }
        return f;
    }

    /** The header made last for {@code settings} and {@code defaults}; {@code null} if it was for others. */
    Header header(ProxySettings settings, ServiceDefaults defaults) {
        Header h = lastHeader;
        return h != null && h.settings().equals(settings) && h.defaults().equals(defaults) ? h : null;
    }

    /** Keeps {@code header} for the next build with the same settings and defaults. */
    void keep(Header header) {
        lastHeader = header;
    }

    /** The build succeeded with {@code current}: keeps their fragments and forgets all others. */
    void commit(Collection<ServiceSpec> current) {
        Map<ServiceSpec, Fragment> next = new IdentityHashMap<>();
        for (ServiceSpec s : current) {
            Fragment f = kept.containsKey(s) ? kept.get(s) : fresh.get(s);
            if (f != null) {
                next.put(s, f);
            }
        }
        kept = next;
        fresh.clear();
    }

    /** The build failed: what it parsed is not kept (a refused service leaves nothing behind). */
    void abandon() {
        fresh.clear();
    }

    /** Forgets everything (the files a configuration names may have changed on disk). */
    public void clear() {
        lastHeader = null;
        kept = new IdentityHashMap<>();
        fresh.clear();
    }

    /** How many services have a kept fragment now. */
    public int size() {
        return kept.size();
    }

    private static Fragment parse(ServiceSpec spec, String header, String globalUserlist) throws ServiceException {
        ServiceTemplates.Text text = new ServiceTemplates.Text();
        text.raw(header);
        text.owner(spec.serviceName());
        ServiceTemplates.userlist(spec, text);
        text.section("frontend " + ServiceConfigs.SERVICES);
        text.line("mode http");
        ServiceTemplates.frontend(spec, text);
        ServiceTemplates.httpBackends(spec, text);
        ParseResult parsed = ConfigParser.parse(text.toString(), "(services)", Path.of("."));
        if (!parsed.errors().isEmpty()) {
            ConfigMessage e = parsed.errors().get(0);
            throw new ServiceException(400, "service " + spec.serviceName() + ": " + e.message());
        }
        ProxyConfig config = parsed.config();
        FrontendConfig front = config.frontend(ServiceConfigs.SERVICES);
        List<UserlistConfig> userlists = globalUserlist == null ? config.userlists() : config.userlists().stream()
                .filter(u -> !u.name().equals(globalUserlist)).toList();
        return new Fragment(userlists, front.acls(), front.requestRules(), front.useBackends(),
                front.defaultBackend(), config.backends());
    }
}
