package dev.sluice.routing.service;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code reconfigure} parameters (a query string's names and values, a service's
 * {@code com.df.*} labels, {@code DFP_SERVICE_*} variables) into a {@link ServiceSpec}, with
 * Docker Flow Proxy's defaults and its indexing rules: destinations {@code .1} to {@code .10},
 * stopping at the first gap, the un-suffixed value as every index's fallback. Anything
 * malformed is a {@link ServiceException} naming the parameter and what was expected.
 */
public final class ServiceParser {

    static final int MAX_DESTINATIONS = 10;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,254}");
    static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final List<String> CONNECTION_MODES = List.of("http-keep-alive", "http-server-close",
            "httpclose", "forceclose");

    /** Parameters whose whole purpose is HAProxy templates: refused, since nothing would honour them. */
    private static final Map<String, String> UNSUPPORTED = Map.of(
            "templateFePath", "Sluice does not render HAProxy templates; express the frontend with the service parameters",
            "templateBePath", "Sluice does not render HAProxy templates; express the backend with the service parameters",
            "backendExtra", "raw HAProxy backend lines are not accepted; express them with the service parameters",
            "serviceGroup", "TCP service groups are not supported",
            "balanceGroup", "TCP service groups are not supported");

    /** Parameters refused here, with the reason. */
    private static final Map<String, String> NOT_ACCEPTED = Map.of(
            "serviceCert", "it is taken only by the admin API's reconfigure, which stores it as a certificate");

    private static final Set<String> SERVICE_PARAMS = Set.of("serviceName", "aclName", "users", "usersSecret",
            "usersPassEncrypted", "sessionType", "discoveryType", "checkResolvers", "serviceDomainAlgo",
            "isDefaultBackend", "connectionMode", "addReqHeader", "setReqHeader", "delReqHeader", "addResHeader",
            "setResHeader", "delResHeader", "addHeader", "setHeader", "compressionAlgo", "compressionType",
            "redirectWhenHttpProto", "backendExtra", "templateFePath", "templateBePath", "serviceCert",
            "proxyInstanceName", "reqPathSearch", "reqPathReplace", "serviceDomainMatchAll", "distribute",
            "replicas", "nodeInfo", "notify", "shortName");

    static final List<String> DEST_PARAMS = List.of("servicePath", "port", "serviceDomain", "reqMode",
            "srcPort", "httpsOnly", "httpsRedirectCode", "httpsPort", "srcHttpsPort", "pathType",
            "servicePathExclude", "reqPathSearchReplace", "redirectFromDomain", "serviceHeader", "userAgent",
            "allowedMethods", "deniedMethods", "denyHttp", "ignoreAuthorization", "verifyClientSsl", "sslVerifyNone",
            "outboundHostname", "timeoutServer", "timeoutTunnel", "timeoutClient", "checkTcp", "clitcpka",
            "serviceGroup", "balanceGroup", "userDef");


    private ServiceParser() {
    }

    /**
     * The service the parameters describe. {@code replicas=0} is still parsed: the caller treats
     * it as a remove ({@link ServiceSpec#replicas()} is 0).
     */
    public static ServiceSpec parse(Map<String, List<String>> raw, ServiceDefaults defaults) throws ServiceException {
        requireNonNull(raw, "raw");
        requireNonNull(defaults, "defaults");
        Params p = new Params(raw, defaults.separator());
        String serviceName = p.exact("serviceName");
        if (serviceName.isEmpty()) {
            throw new ServiceException(400, "serviceName parameter is mandatory");
        }
        if (!NAME.matcher(serviceName).matches()) {
            throw ServiceException.badParameter("serviceName", serviceName,
                    "a Swarm service name: letters, digits, '_', '.', '-'");
        }
        for (Map.Entry<String, String> e : UNSUPPORTED.entrySet()) {
            for (String suffix : suffixes()) { // serviceGroup and balanceGroup are per destination
                if (p.has(e.getKey() + suffix)) {
                    throw new ServiceException(400, e.getKey() + suffix + " is not supported: " + e.getValue());
                }
            }
        }
        List<String> warnings = new ArrayList<>();
        checkRefused(p);
        String aclName = p.exact("aclName");
        if (aclName.isEmpty()) {
            aclName = serviceName;
        } else if (!NAME.matcher(aclName).matches()) {
            throw ServiceException.badParameter("aclName", aclName, "letters, digits, '_', '.', '-'");
        }
        int replicas = p.integer("replicas", "", 0, Integer.MAX_VALUE, -1);
        p.bool("distribute", "");
        p.bool("checkResolvers", "");
        String discovery = p.exact("discoveryType");
        if (!discovery.isEmpty() && !discovery.equalsIgnoreCase("overlay") && !discovery.equals("DNS")) {
            throw ServiceException.badParameter("discoveryType", discovery, "Overlay or DNS");
        }
        String connectionMode = p.exact("connectionMode");
        if (!connectionMode.isEmpty() && !CONNECTION_MODES.contains(connectionMode)) {
            throw ServiceException.badParameter("connectionMode", connectionMode, String.join(", ", CONNECTION_MODES));
        }
        String domainAlgo = p.exact("serviceDomainAlgo");
        if (domainAlgo.isEmpty()) {
            domainAlgo = defaults.serviceDomainAlgo();
        } else if (!ServiceDefaults.DOMAIN_ALGOS.contains(domainAlgo)) {
            throw ServiceException.badParameter("serviceDomainAlgo", domainAlgo,
                    String.join(", ", ServiceDefaults.DOMAIN_ALGOS));
        }
        if (p.bool("serviceDomainMatchAll", "")) {
            domainAlgo = "hdr_dom(host)"; // the deprecated parameter wins, as in Docker Flow Proxy
        }
        if (p.has("compressionAlgo") || p.has("compressionType")) {
            warnings.add("compressionAlgo/compressionType ignored: Sluice does not compress responses");
        }
        List<String> addReq = headers(p, p.has("addReqHeader") ? "addReqHeader" : "addHeader");
        List<String> setReq = headers(p, p.has("setReqHeader") ? "setReqHeader" : "setHeader");
        List<String> addRes = headers(p, "addResHeader");
        List<String> setRes = headers(p, "setResHeader");
        List<String> delReq = p.list("delReqHeader", "", TOKEN, "header names");
        List<String> delRes = p.list("delResHeader", "", TOKEN, "header names");
        List<ServiceUser> users = Users.of(p, serviceName, defaults);
        boolean useGlobalUsers = !defaults.users().isBlank();
        List<Destination> dests = DestinationParser.destinations(p, defaults, domainAlgo, warnings);
        unknown(raw, warnings);
        String sessionType = p.exact("sessionType");
        if (!sessionType.isEmpty() && !sessionType.equals("sticky-server")) {
            throw ServiceException.badParameter("sessionType", sessionType, "sticky-server");
        }
        return new ServiceSpec(serviceName, aclName, raw, replicas, users, useGlobalUsers,
                p.bool("isDefaultBackend", ""), connectionMode, p.bool("redirectWhenHttpProto", ""),
                addReq, setReq, delReq, addRes, setRes, delRes, dests, warnings, sessionType);
    }

    private static void checkRefused(Params p) throws ServiceException {
        for (String suffix : suffixes()) {
            p.bool("verifyClientSsl", suffix); // a bad value is a 400 here, not a surprise later
        }
        if (p.has("serviceCert")) {
            throw new ServiceException(400, "serviceCert is not accepted here: " + NOT_ACCEPTED.get("serviceCert"));
        }
    }

    private static List<String> suffixes() {
        List<String> s = new ArrayList<>();
        s.add("");
        for (int i = 1; i <= MAX_DESTINATIONS; i++) {
            s.add("." + i);
        }
        return s;
    }

    /** {@code Name value} entries; the value may not use log-format ({@code %[...]}). */
    private static List<String> headers(Params p, String name) throws ServiceException {
        List<String> out = p.list(name, "");
        for (String h : out) {
            int space = h.indexOf(' ');
            String header = space < 0 ? h : h.substring(0, space);
            String value = space < 0 ? "" : h.substring(space + 1).trim();
            java.util.regex.Matcher condition = ServiceTemplates.CONDITION.matcher(value);
            if (condition.find()) {
                value = value.substring(0, condition.start()).trim(); // the condition is checked when built
            }
            if (!TOKEN.matcher(header).matches() || value.isEmpty()) {
                throw ServiceException.badParameter(name, h, "'Header-Name value' entries");
            }
            if (value.indexOf('%') >= 0 || value.chars().anyMatch(c -> c < 0x20 && c != '\t')) {
                throw ServiceException.badParameter(name, h,
                        "a plain value (log-format expressions with % are not supported)");
            }
        }
        return out;
    }

    private static void unknown(Map<String, List<String>> raw, List<String> warnings) {
        Set<String> unknown = new TreeSet<>();
        for (String name : raw.keySet()) {
            int dot = name.lastIndexOf('.');
            String base = dot > 0 ? name.substring(0, dot) : name;
            if (SERVICE_PARAMS.contains(name) || DEST_PARAMS.contains(base)) {
                continue;
            }
            if (name.startsWith("alert") || name.startsWith("scrape")) {
                continue; // Docker Flow Monitor shares the com.df.* namespace
            }
            unknown.add(name);
        }
        if (!unknown.isEmpty()) {
            warnings.add("ignored unknown parameter(s): " + String.join(", ", unknown));
        }
    }

    /** Reads a secret file, for {@code usersSecret}. */
    static String readSecret(Path file) throws ServiceException {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new ServiceException(400, "usersSecret: cannot read " + file + " (" + e.getMessage() + ")");
        }
    }
}
