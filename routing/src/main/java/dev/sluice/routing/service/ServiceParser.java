package dev.sluice.routing.service;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Parses {@code reconfigure} parameters (a query string's names and values, a service's
 * {@code com.df.*} labels, {@code DFP_SERVICE_*} variables) into a {@link ServiceSpec}, with
 * Docker Flow Proxy's defaults and its indexing rules: destinations {@code .1} to {@code .10},
 * stopping at the first gap, the un-suffixed value as every index's fallback. Anything
 * malformed is a {@link ServiceException} naming the parameter and what was expected.
 */
public final class ServiceParser {

    static final int MAX_DESTINATIONS = 10;
    private static final int MAX_SEARCH_GROUPS = 6;
    private static final Pattern BACK_REFERENCE = Pattern.compile("\\\\(\\d)");

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,254}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,252}|\\[?[0-9A-Fa-f:.]+]?");
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern METHOD = Pattern.compile("[A-Za-z]+");
    private static final List<String> PATH_TYPES = List.of("path", "path_beg", "path_end", "path_sub", "path_reg",
            "path_dir", "path_dom", "url", "url_beg", "url_end", "url_sub", "url_reg", "url_dir", "url_dom",
            "base", "base_beg", "base_end", "base_sub", "base_reg", "base_dir", "base_dom");
    private static final List<String> CONNECTION_MODES = List.of("http-keep-alive", "http-server-close",
            "httpclose", "forceclose");
    private static final List<Integer> REDIRECT_CODES = List.of(301, 302, 303, 307, 308);

    /** Parameters whose whole purpose is HAProxy templates: refused, since nothing would honour them. */
    private static final Map<String, String> UNSUPPORTED = Map.of(
            "templateFePath", "Sluice does not render HAProxy templates; express the frontend with the service parameters",
            "templateBePath", "Sluice does not render HAProxy templates; express the backend with the service parameters",
            "backendExtra", "raw HAProxy backend lines are not accepted; express them with the service parameters",
            "serviceGroup", "TCP service groups are not supported",
            "balanceGroup", "TCP service groups are not supported");

    /** Features Sluice does not have yet: refused rather than silently routed differently. */
    private static final Map<String, String> NOT_YET = Map.of(
            "verifyClientSsl", "client certificates need TLS termination, which is not built yet",
            "sslVerifyNone", "TLS to the backend is not built yet",
            "serviceCert", "certificates are not supported yet (TLS termination is not built yet)");

    private static final Set<String> SERVICE_PARAMS = Set.of("serviceName", "aclName", "users", "usersSecret",
            "usersPassEncrypted", "sessionType", "discoveryType", "checkResolvers", "serviceDomainAlgo",
            "isDefaultBackend", "connectionMode", "addReqHeader", "setReqHeader", "delReqHeader", "addResHeader",
            "setResHeader", "delResHeader", "addHeader", "setHeader", "compressionAlgo", "compressionType",
            "redirectWhenHttpProto", "backendExtra", "templateFePath", "templateBePath", "serviceCert",
            "proxyInstanceName", "reqPathSearch", "reqPathReplace", "serviceDomainMatchAll", "distribute",
            "replicas", "nodeInfo", "notify", "shortName");

    private static final List<String> DEST_PARAMS = List.of("servicePath", "port", "serviceDomain", "reqMode",
            "srcPort", "httpsOnly", "httpsRedirectCode", "httpsPort", "srcHttpsPort", "pathType",
            "servicePathExclude", "reqPathSearchReplace", "redirectFromDomain", "serviceHeader", "userAgent",
            "allowedMethods", "deniedMethods", "denyHttp", "ignoreAuthorization", "verifyClientSsl", "sslVerifyNone",
            "outboundHostname", "timeoutServer", "timeoutTunnel", "timeoutClient", "checkTcp", "clitcpka",
            "serviceGroup", "balanceGroup", "userDef");

    /** Parameters that mark a destination as present (Docker Flow Proxy's {@code isServiceDestValid}). */
    private static final List<String> DEST_MARKERS = List.of("servicePath", "port", "serviceDomain", "httpsPort");

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
        checkNotYet(p);
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
        List<Destination> dests = destinations(p, defaults, domainAlgo, warnings);
        unknown(raw, warnings);
        String sessionType = p.exact("sessionType");
        if (!sessionType.isEmpty() && !sessionType.equals("sticky-server")) {
            throw ServiceException.badParameter("sessionType", sessionType, "sticky-server");
        }
        return new ServiceSpec(serviceName, aclName, raw, replicas, users, useGlobalUsers,
                p.bool("isDefaultBackend", ""), connectionMode, p.bool("redirectWhenHttpProto", ""),
                addReq, setReq, delReq, addRes, setRes, delRes, dests, warnings, sessionType);
    }

    private static void checkNotYet(Params p) throws ServiceException {
        for (String name : List.of("verifyClientSsl", "sslVerifyNone")) {
            for (String suffix : suffixes()) {
                if (p.bool(name, suffix)) {
                    throw new ServiceException(400, name + suffix + " is not supported yet: " + NOT_YET.get(name));
                }
            }
        }
        if (p.has("serviceCert")) {
            throw new ServiceException(400, "serviceCert is not supported yet: " + NOT_YET.get("serviceCert"));
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

    private static List<Destination> destinations(Params p, ServiceDefaults defaults, String domainAlgo,
                                                  List<String> warnings) throws ServiceException {
        List<Destination> dests = new ArrayList<>();
        int last = 0;
        for (int i = 1; i <= MAX_DESTINATIONS; i++) {
            if (!present(p, "." + i)) {
                break;
            }
            dests.add(destination(p, defaults, domainAlgo, i));
            last = i;
        }
        for (String name : p.names()) {
            int dot = name.lastIndexOf('.');
            if (dot > 0 && DEST_PARAMS.contains(name.substring(0, dot))) {
                String index = name.substring(dot + 1);
                if (!index.matches("[0-9]+") || Integer.parseInt(index) < 1 || Integer.parseInt(index) > last) {
                    warnings.add(name + " ignored: destinations are numbered .1 to ." + MAX_DESTINATIONS
                            + " without gaps" + (last == 0 ? "" : " (the last one here is ." + last + ")"));
                }
            }
        }
        if (dests.isEmpty()) {
            dests.add(destination(p, defaults, domainAlgo, 0));
        }
        // Docker Flow Proxy: a leading * on any domain switches the whole service to hdr_end(host)
        if (dests.stream().anyMatch(d -> d.domainAlgo().equals("hdr_end(host)"))) {
            dests.replaceAll(d -> d.withDomainAlgo("hdr_end(host)"));
        }
        return dests;
    }

    private static boolean present(Params p, String suffix) {
        for (String marker : DEST_MARKERS) {
            if (p.has(marker + suffix)) {
                return true;
            }
        }
        return false;
    }

    private static Destination destination(Params p, ServiceDefaults defaults, String serviceAlgo, int index)
            throws ServiceException {
        String s = index == 0 ? "" : "." + index;
        String reqMode = p.get("reqMode", s);
        if (reqMode.isEmpty()) {
            reqMode = defaults.defaultReqMode();
        }
        reqMode = reqMode.toLowerCase(Locale.ROOT);
        if (!List.of("http", "tcp", "sni").contains(reqMode)) {
            throw ServiceException.badParameter(p.nameWithSuffix("reqMode", s), reqMode, "http, tcp or sni");
        }
        int port = p.port("port", s);
        int httpsPort = p.port("httpsPort", s);
        int srcPort = p.port("srcPort", s);
        int srcHttpsPort = p.port("srcHttpsPort", s);
        if (httpsPort > 0 && reqMode.equals("http")) {
            // Docker Flow Proxy: with an https port, plain traffic is the one arriving on 80 and
            // TLS traffic the one arriving on 443, unless srcPort / srcHttpsPort say otherwise
            srcPort = srcPort == 0 ? 80 : srcPort;
            srcHttpsPort = srcHttpsPort == 0 ? 443 : srcHttpsPort;
        }
        List<String> paths = p.words("servicePath", s, "paths without white space");
        List<String> domains = new ArrayList<>(p.words("serviceDomain", s, "domains without white space"));
        String algo = serviceAlgo;
        for (int i = 0; i < domains.size(); i++) {
            if (domains.get(i).startsWith("*")) {
                domains.set(i, domains.get(i).replaceFirst("^\\*+", ""));
                algo = "hdr_end(host)";
            }
        }
        if (reqMode.equals("http")) {
            if (paths.isEmpty() && domains.isEmpty() && httpsPort == 0) {
                throw new ServiceException(409,
                        "When using reqMode http, servicePath or serviceDomain or httpsPort are mandatory");
            }
            if (port == 0 && httpsPort == 0) {
                throw new ServiceException(400, "port parameter is mandatory");
            }
        } else {
            if (srcPort == 0 || port == 0) {
                throw new ServiceException(400, "srcPort and port parameters are mandatory for reqMode " + reqMode);
            }
            if (reqMode.equals("sni")) {
                throw new ServiceException(400, "reqMode=sni is not supported yet: TLS passthrough by SNI arrives "
                        + "with TLS termination");
            }
        }
        if (paths.isEmpty() && !domains.isEmpty()) {
            paths = List.of("/");
        }
        String pathType = p.get("pathType", s);
        if (pathType.isEmpty()) {
            pathType = "path_beg";
        } else if (!PATH_TYPES.contains(pathType)) {
            throw ServiceException.badParameter(p.nameWithSuffix("pathType", s), pathType, String.join(", ", PATH_TYPES));
        }
        if (pathType.endsWith("_reg")) {
            for (String path : paths) {
                regex(p.nameWithSuffix("servicePath", s), path);
            }
        }
        // as in Docker Flow Proxy, un-suffixed httpsOnly=true holds for every destination, whatever httpsOnly.N says
        boolean httpsOnly = p.bool("httpsOnly", s) || p.bool("httpsOnly", "") || defaults.httpsOnly();
        int redirectCode = p.integer("httpsRedirectCode", s, 0, 999, 0);
        if (redirectCode != 0 && !REDIRECT_CODES.contains(redirectCode)) {
            throw ServiceException.badParameter(p.nameWithSuffix("httpsRedirectCode", s), Integer.toString(redirectCode),
                    "301, 302, 303, 307 or 308");
        }
        String outbound = p.get("outboundHostname", s);
        if (!outbound.isEmpty() && !HOST.matcher(outbound).matches()) {
            throw ServiceException.badParameter(p.nameWithSuffix("outboundHostname", s), outbound, "a host name or IP address");
        }
        p.bool("clitcpka", s);
        return new Destination(index, reqMode, port, paths, pathType,
                p.words("servicePathExclude", s, "paths without white space"), domains, algo, srcPort, httpsPort,
                srcHttpsPort, httpsOnly, redirectCode,
                p.words("redirectFromDomain", s, "domains without white space"), serviceHeaders(p, s),
                p.list("userAgent", s), p.list("allowedMethods", s, METHOD, "HTTP methods"),
                p.list("deniedMethods", s, METHOD, "HTTP methods"), p.bool("denyHttp", s),
                p.bool("ignoreAuthorization", s), outbound, timeout(p, "timeoutServer", s),
                timeout(p, "timeoutTunnel", s), timeout(p, "timeoutClient", s), p.bool("checkTcp", s),
                searchReplace(p, s, index));
    }

    private static int timeout(Params p, String name, String suffix) throws ServiceException {
        return p.integer(name, suffix, 0, 2_147_483, -1);
    }

    private static Map<String, String> serviceHeaders(Params p, String s) throws ServiceException {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String entry : p.list("serviceHeader", s)) {
            int colon = entry.indexOf(':');
            String name = colon < 0 ? "" : entry.substring(0, colon).trim();
            String value = colon < 0 ? "" : entry.substring(colon + 1).trim();
            if (!TOKEN.matcher(name).matches() || value.isEmpty() || value.indexOf(':') >= 0) {
                throw ServiceException.badParameter(p.nameWithSuffix("serviceHeader", s), entry, "'Header:value' entries");
            }
            headers.put(name, value);
        }
        return headers;
    }

    private static List<SearchReplace> searchReplace(Params p, String s, int index) throws ServiceException {
        List<SearchReplace> out = new ArrayList<>();
        if (p.has("reqPathSearch")) {
            out.add(pair("reqPathSearch", p.exact("reqPathSearch"), p.exact("reqPathReplace")));
        }
        String name = p.nameWithSuffix("reqPathSearchReplace", s);
        String value = p.get("reqPathSearchReplace", s);
        if (value.isEmpty()) {
            return out;
        }
        for (String pair : value.split(":")) {
            int comma = pair.indexOf(',');
            if (comma <= 0) {
                throw ServiceException.badParameter(name, pair, "'regex,replacement' pairs separated by ':'");
            }
            String replace = pair.substring(comma + 1);
            if (replace.indexOf('%') >= 0 || replace.indexOf(',') >= 0) {
                throw ServiceException.badParameter(name, pair, "a replacement without '%' or ','");
            }
            out.add(pair(name, pair.substring(0, comma), replace));
        }
        return out;
    }

    /**
     * One search and replacement. The generated {@code replace-path} makes the search a group
     * between two others, and HAProxy's references stop at {@code \9}: the search may have at
     * most 6 groups of its own, and a replacement may only name those (a missing one would fail
     * every request).
     */
    private static SearchReplace pair(String name, String search, String replace) throws ServiceException {
        int groups = Pattern.compile(regex(name, search)).matcher("").groupCount();
        if (groups > MAX_SEARCH_GROUPS) {
            throw ServiceException.badParameter(name, search, "a regular expression with at most "
                    + MAX_SEARCH_GROUPS + " groups; use (?:...) for the others");
        }
        Matcher ref = BACK_REFERENCE.matcher(replace);
        while (ref.find()) {
            if (Integer.parseInt(ref.group(1)) > groups) {
                throw ServiceException.badParameter(name, search + "," + replace, "a replacement naming only the "
                        + groups + " group(s) of its search (\\0 to \\" + groups + ")");
            }
        }
        return new SearchReplace(search, replace);
    }

    private static String regex(String name, String value) throws ServiceException {
        try {
            Pattern.compile(value);
            if (value.chars().anyMatch(Character::isWhitespace)) {
                throw ServiceException.badParameter(name, value, "a regular expression without white space (use \\s)");
            }
            return value;
        } catch (PatternSyntaxException e) {
            throw ServiceException.badParameter(name, value, "a regular expression: " + e.getDescription());
        }
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
