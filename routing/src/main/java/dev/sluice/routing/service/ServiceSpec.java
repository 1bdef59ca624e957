package dev.sluice.routing.service;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One service as {@code reconfigure} accepted it: validated, with Docker Flow Proxy's defaults
 * applied. {@link #params} are the parameters it was made from (kept for persistence: parsing
 * them again with the same {@link ServiceDefaults} gives an equal spec).
 *
 * @param replicas       {@code -1} when not given (a global service or a static one)
 * @param users          the service's basic-auth users; empty: none of its own
 * @param useGlobalUsers {@code USERS} is set: every http destination asks for one of them too
 * @param warnings       what was accepted but ignored (unknown parameters, features of other tools)
 * @param sessionType    {@code sticky-server} or ""
 */
public record ServiceSpec(String serviceName, String aclName, Map<String, List<String>> params, int replicas,
                          List<ServiceUser> users, boolean useGlobalUsers, boolean isDefaultBackend,
                          String connectionMode, boolean redirectWhenHttpProto,
                          List<String> addReqHeader, List<String> setReqHeader, List<String> delReqHeader,
                          List<String> addResHeader, List<String> setResHeader, List<String> delResHeader,
                          List<Destination> destinations, List<String> warnings, String sessionType) {

    public ServiceSpec {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        params.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        params = Collections.unmodifiableMap(copy);
        users = List.copyOf(users);
        addReqHeader = List.copyOf(addReqHeader);
        setReqHeader = List.copyOf(setReqHeader);
        delReqHeader = List.copyOf(delReqHeader);
        addResHeader = List.copyOf(addResHeader);
        setResHeader = List.copyOf(setResHeader);
        delResHeader = List.copyOf(delResHeader);
        destinations = List.copyOf(destinations);
        warnings = List.copyOf(warnings);
    }

    /** Names the service only: its parameters may carry passwords, which must never reach a log. */
    @Override
    public String toString() {
        return "ServiceSpec[" + serviceName + ", aclName=" + aclName + ", " + destinations.size() + " destination(s)]";
    }

    /** The slots of a {@code discoveryType=DNS} service when {@code replicas} is not given. */
    public static final int DEFAULT_DNS_SLOTS = 16;

    /**
     * {@code discoveryType=DNS}: one server per task, from the DNS answers for {@code tasks.SERVICE}
     * (a {@code server-template}), instead of the service's virtual IP.
     */
    public boolean dnsDiscovery() {
        List<String> v = params.get("discoveryType");
        return v != null && !v.isEmpty() && v.get(0).equals("DNS");
    }

    /**
     * One server per task ({@code discoveryType=DNS} or {@code sessionType=sticky-server}): a
     * {@code server-template} whose slots DNS fills and keeps current as tasks come and go, so a
     * sticky client stays on its task while the task lives.
     */
    public boolean perTaskServers() {
        return dnsDiscovery() || "sticky-server".equals(sessionType);
    }

    /**
     * How many servers a DNS-discovered service may have: {@code replicas} when given (the Swarm
     * Listener always sends it), else {@link #DEFAULT_DNS_SLOTS}. Tasks beyond it get no traffic.
     */
    public int dnsSlots() {
        return replicas > 0 ? replicas : DEFAULT_DNS_SLOTS;
    }

    /** Whether the service claims {@code /} (Docker Flow Proxy routes such services last). */
    public boolean hasRoot() {
        return destinations.stream().anyMatch(d -> d.servicePath().contains("/"));
    }

    /** Whether the service claims a {@code /.well-known} path (routed first, for ACME challenges). */
    public boolean hasWellKnown() {
        return destinations.stream().flatMap(d -> d.servicePath().stream())
                .anyMatch(p -> p.toLowerCase(java.util.Locale.ROOT).startsWith("/.well-known"));
    }

    /**
     * The service as Docker Flow Proxy's JSON shows it ({@code ServiceName}, {@code ServiceDest},
     * ...), passwords replaced by {@code <redacted>}.
     */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ServiceName", serviceName);
        m.put("AclName", aclName);
        m.put("Replicas", replicas);
        m.put("IsDefaultBackend", isDefaultBackend);
        m.put("ConnectionMode", connectionMode);
        m.put("SessionType", sessionType);
        m.put("RedirectWhenHttpProto", redirectWhenHttpProto);
        m.put("AddReqHeader", addReqHeader);
        m.put("SetReqHeader", setReqHeader);
        m.put("DelReqHeader", delReqHeader);
        m.put("AddResHeader", addResHeader);
        m.put("SetResHeader", setResHeader);
        m.put("DelResHeader", delResHeader);
        List<Map<String, Object>> users = new ArrayList<>();
        for (ServiceUser u : this.users) {
            Map<String, Object> um = new LinkedHashMap<>();
            um.put("Username", u.name());
            um.put("Password", "<redacted>");
            um.put("PassEncrypted", u.encrypted());
            users.add(um);
        }
        m.put("Users", users);
        m.put("UseGlobalUsers", useGlobalUsers);
        List<Map<String, Object>> dests = new ArrayList<>();
        for (Destination d : destinations) {
            Map<String, Object> dm = new LinkedHashMap<>();
            dm.put("Index", d.index());
            dm.put("ReqMode", d.reqMode());
            dm.put("Port", d.port() == 0 ? "" : Integer.toString(d.port()));
            dm.put("ServicePath", d.servicePath());
            dm.put("PathType", d.pathType());
            dm.put("ServicePathExclude", d.servicePathExclude());
            dm.put("ServiceDomain", d.serviceDomain());
            dm.put("ServiceDomainAlgo", d.domainAlgo());
            dm.put("SrcPort", d.srcPort());
            dm.put("HttpsPort", d.httpsPort());
            dm.put("SrcHttpsPort", d.srcHttpsPort());
            dm.put("HttpsOnly", d.httpsOnly());
            dm.put("HttpsRedirectCode", d.httpsRedirectCode() == 0 ? "" : Integer.toString(d.httpsRedirectCode()));
            dm.put("RedirectFromDomain", d.redirectFromDomain());
            dm.put("ServiceHeader", d.serviceHeader());
            dm.put("UserAgent", d.userAgent());
            dm.put("AllowedMethods", d.allowedMethods());
            dm.put("DeniedMethods", d.deniedMethods());
            dm.put("DenyHttp", d.denyHttp());
            dm.put("IgnoreAuthorization", d.ignoreAuthorization());
            dm.put("OutboundHostname", d.outboundHostname());
            dm.put("SslVerifyNone", d.sslVerifyNone());
            dm.put("TimeoutServer", d.timeoutServer() < 0 ? "" : Integer.toString(d.timeoutServer()));
            dm.put("TimeoutTunnel", d.timeoutTunnel() < 0 ? "" : Integer.toString(d.timeoutTunnel()));
            dm.put("TimeoutClient", d.timeoutClient() < 0 ? "" : Integer.toString(d.timeoutClient()));
            List<String> sr = d.reqPathSearchReplace().stream().map(p -> p.search() + "," + p.replace()).toList();
            dm.put("ReqPathSearchReplace", String.join(":", sr));
            dests.add(dm);
        }
        m.put("ServiceDest", dests);
        return m;
    }
}
