package dev.sluice.routing.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The per-destination half of {@link ServiceParser}: Docker Flow Proxy's {@code .1}..{@code .10}
 * destinations (stopping at the first gap, the un-suffixed value as every index's fallback) and
 * each destination's parameters, validated, with their defaults.
 */
final class DestinationParser {

    private static final int MAX_SEARCH_GROUPS = 6;
    private static final Pattern BACK_REFERENCE = Pattern.compile("\\\\(\\d)");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,252}|\\[?[0-9A-Fa-f:.]+]?");
    private static final Pattern METHOD = Pattern.compile("[A-Za-z]+");
    private static final List<String> PATH_TYPES = List.of("path", "path_beg", "path_end", "path_sub", "path_reg",
            "path_dir", "path_dom", "url", "url_beg", "url_end", "url_sub", "url_reg", "url_dir", "url_dom",
            "base", "base_beg", "base_end", "base_sub", "base_reg", "base_dir", "base_dom");
    /** Docker Flow Proxy's match of an sni destination's servicePath against the client's SNI. */
    static final String SNI_PATH_TYPE = "req_ssl_sni -i -m beg";
    private static final Pattern SNI_PATH_TYPE_FORM =
            Pattern.compile("(req_ssl_sni|req\\.ssl_sni)( -i| -m (str|beg|end|sub|dom|reg))*");
    private static final List<Integer> REDIRECT_CODES = List.of(301, 302, 303, 307, 308);
    /** Parameters that mark a destination as present (Docker Flow Proxy's {@code isServiceDestValid}). */
    private static final List<String> DEST_MARKERS = List.of("servicePath", "port", "serviceDomain", "httpsPort");

    private DestinationParser() {
    }

    static List<Destination> destinations(Params p, ServiceDefaults defaults, String domainAlgo,
                                                  List<String> warnings) throws ServiceException {
        List<Destination> dests = new ArrayList<>();
        int last = 0;
        for (int i = 1; i <= ServiceParser.MAX_DESTINATIONS; i++) {
            if (!present(p, "." + i)) {
                break;
            }
            dests.add(destination(p, defaults, domainAlgo, i));
            last = i;
        }
        for (String name : p.names()) {
            int dot = name.lastIndexOf('.');
            if (dot > 0 && ServiceParser.DEST_PARAMS.contains(name.substring(0, dot))) {
                String index = name.substring(dot + 1);
                if (!index.matches("[0-9]+") || Integer.parseInt(index) < 1 || Integer.parseInt(index) > last) {
                    warnings.add(name + " ignored: destinations are numbered .1 to ." + ServiceParser.MAX_DESTINATIONS
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
            if (reqMode.equals("sni") && paths.isEmpty()) {
                throw new ServiceException(400, "servicePath is mandatory for reqMode sni (expected the TLS server "
                        + "names to route to this service, matched as pathType says, e.g. pathType=req_ssl_sni -i "
                        + "-m end and servicePath=.example.com)");
            }
        }
        if (paths.isEmpty() && !domains.isEmpty()) {
            paths = List.of("/");
        }
        String pathType = p.get("pathType", s);
        if (reqMode.equals("sni")) {
            pathType = sniPathType(p.nameWithSuffix("pathType", s), pathType);
            if (pathType.contains("-m reg")) {
                for (String path : paths) {
                    regex(p.nameWithSuffix("servicePath", s), path);
                }
            }
        } else if (pathType.isEmpty()) {
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
                searchReplace(p, s, index), p.bool("sslVerifyNone", s));
    }

    /**
     * The ACL fetch and flags of an sni destination, as Docker Flow Proxy users write them
     * ({@code req_ssl_sni -i -m beg}, its default); white space normalised.
     */
    private static String sniPathType(String name, String value) throws ServiceException {
        if (value.isBlank()) {
            return SNI_PATH_TYPE;
        }
        String normal = String.join(" ", value.trim().split("\\s+"));
        if (!SNI_PATH_TYPE_FORM.matcher(normal).matches()) {
            throw ServiceException.badParameter(name, value, "req_ssl_sni or req.ssl_sni, then -i and/or "
                    + "-m str|beg|end|sub|dom|reg, e.g. 'req_ssl_sni -i -m end'");
        }
        return normal;
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
            if (!ServiceParser.TOKEN.matcher(name).matches() || value.isEmpty() || value.indexOf(':') >= 0) {
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
}
