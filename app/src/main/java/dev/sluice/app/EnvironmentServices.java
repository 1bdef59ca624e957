package dev.sluice.app;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Static services from {@code DFP_SERVICE_*} environment variables, as Docker Flow Proxy's
 * {@code GetServicesFromEnvVars} reads them, turned into reconfigure parameter maps
 * ({@code serviceName -> [x]}, {@code port -> [8080]}, ...), each value the raw variable as one
 * element, so the reconfigure parser validates and splits them as it does a query string.
 *
 * <p>Services: the un-numbered one ({@code DFP_SERVICE_SERVICE_NAME}, {@code DFP_SERVICE_PORT},
 * ...) first, then {@code DFP_SERVICE_1_*}, {@code DFP_SERVICE_2_*}, ... up to the first number
 * without {@code SERVICE_NAME}. Names go from SNAKE_CASE to camelCase ({@code REQ_PATH_SEARCH_REPLACE}
 * -> {@code reqPathSearchReplace}).
 *
 * <p>Destinations, as Docker Flow Proxy builds them: the un-numbered destination variables
 * ({@code PORT}, {@code SERVICE_PATH}, ...) form a destination only with {@code SERVICE_PATH} or
 * {@code PORT}; indexed ones ({@code PORT_1}, {@code SERVICE_PATH_1}, ... up to 10) each form a
 * further destination while both {@code SERVICE_PATH_N} and {@code PORT_N} are set, and they do
 * not inherit the un-numbered values (except {@code OUTBOUND_HOSTNAME}). In reconfigure
 * parameters an un-suffixed value is the fallback of every indexed destination, so: without
 * indexed destinations the un-numbered one is written un-suffixed ({@code port}); with them, it
 * becomes {@code .1} and {@code _N} becomes {@code .N+1}; and un-numbered destination values
 * that form no destination are left out, with a warning.
 *
 * <p>Not read, with a warning: {@code USERS*} (Docker Flow Proxy does not read them here either),
 * {@code DISTRIBUTE} (each replica reads its own environment), {@code REPLICAS=0} (Docker Flow
 * Proxy keeps environment services whatever it says), and any other {@code DFP_SERVICE_*} name.
 */
final class EnvironmentServices {

    static final String PREFIX = "DFP_SERVICE";
    static final int MAX_INDEX = 10;

    /** Service-level variables (Docker Flow Proxy reads them with envconfig). */
    private static final List<String> SERVICE = List.of("ACL_NAME", "ADD_REQ_HEADER", "ADD_RES_HEADER",
            "BACKEND_EXTRA", "CHECK_RESOLVERS", "COMPRESSION_ALGO", "COMPRESSION_TYPE", "CONNECTION_MODE",
            "DEL_REQ_HEADER", "DEL_RES_HEADER", "IS_DEFAULT_BACKEND", "PROXY_INSTANCE_NAME",
            "REDIRECT_WHEN_HTTP_PROTO", "REQ_PATH_REPLACE", "REQ_PATH_SEARCH", "SERVICE_CERT",
            "SERVICE_DOMAIN_ALGO", "SESSION_TYPE", "SET_REQ_HEADER", "SET_RES_HEADER", "TEMPLATE_BE_PATH",
            "TEMPLATE_FE_PATH");
    /** The un-numbered destination's variables. */
    private static final List<String> DESTINATION = List.of("SERVICE_PATH", "PORT", "SERVICE_DOMAIN", "PATH_TYPE",
            "SRC_PORT", "SRC_HTTPS_PORT", "REQ_MODE", "HTTPS_ONLY", "HTTPS_PORT", "HTTPS_REDIRECT_CODE",
            "REQ_PATH_SEARCH_REPLACE", "TIMEOUT_SERVER", "TIMEOUT_TUNNEL", "ALLOWED_METHODS", "DENIED_METHODS",
            "REDIRECT_FROM_DOMAIN", "SERVICE_PATH_EXCLUDE", "VERIFY_CLIENT_SSL", "DENY_HTTP",
            "IGNORE_AUTHORIZATION", "SSL_VERIFY_NONE");
    /** The variables of indexed destinations, {@code NAME_N} (Docker Flow Proxy reads no others). */
    private static final List<String> INDEXED = List.of("SERVICE_PATH", "PORT", "SERVICE_DOMAIN", "SRC_PORT",
            "SRC_HTTPS_PORT", "REQ_MODE", "HTTPS_ONLY", "HTTPS_REDIRECT_CODE", "REQ_PATH_SEARCH_REPLACE",
            "TIMEOUT_SERVER", "TIMEOUT_TUNNEL", "ALLOWED_METHODS", "DENIED_METHODS", "REDIRECT_FROM_DOMAIN",
            "SERVICE_PATH_EXCLUDE", "VERIFY_CLIENT_SSL", "DENY_HTTP", "IGNORE_AUTHORIZATION", "OUTBOUND_HOSTNAME");

    private final Map<String, String> variables;
    private final Consumer<String> warnings;
    private final Set<String> read = new TreeSet<>();
    private int numbered;

    private EnvironmentServices(Map<String, String> variables, Consumer<String> warnings) {
        this.variables = variables;
        this.warnings = warnings;
    }

    /**
     * The services declared by {@code DFP_SERVICE_*} in {@code variables}, in Docker Flow Proxy's
     * order; each map keeps its parameters in a stable order and is unmodifiable.
     *
     * @param warnings receives one line per variable that is not read, naming it and why
     */
    static List<Map<String, List<String>>> read(Map<String, String> variables, Consumer<String> warnings) {
        requireNonNull(variables, "variables");
        requireNonNull(warnings, "warnings");
        return new EnvironmentServices(variables, warnings).readAll();
    }

    private List<Map<String, List<String>>> readAll() {
        List<Map<String, List<String>>> services = new ArrayList<>();
        if (get(PREFIX + "_SERVICE_NAME") != null) {
            services.add(service(PREFIX));
        }
        while (get(PREFIX + '_' + (numbered + 1) + "_SERVICE_NAME") != null) {
            numbered++;
            services.add(service(PREFIX + '_' + numbered));
        }
        List<String> unread = variables.keySet().stream()
                .filter(k -> k.startsWith(PREFIX + '_') && !read.contains(k) && !isBlank(variables.get(k)))
                .sorted().toList();
        for (String name : unread) {
            warnings.accept(name + " is ignored (" + whyUnread(name) + ")");
        }
        return List.copyOf(services);
    }

    private Map<String, List<String>> service(String prefix) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        put(params, "serviceName", prefix + "_SERVICE_NAME");
        for (String name : SERVICE) {
            put(params, camel(name), prefix + '_' + name);
        }
        if (!params.containsKey("serviceDomainAlgo") && "true".equalsIgnoreCase(get(prefix + "_SERVICE_DOMAIN_MATCH_ALL"))) {
            // Docker Flow Proxy's deprecated spelling of serviceDomainAlgo=hdr_dom(host)
            read.add(prefix + "_SERVICE_DOMAIN_MATCH_ALL");
            params.put("serviceDomainAlgo", List.of("hdr_dom(host)"));
        }
        put(params, "discoveryType", prefix + "_DISCOVERYTYPE");
        if (!params.containsKey("discoveryType")) {
            put(params, "discoveryType", prefix + "_DISCOVERY_TYPE");
        }
        String replicas = get(prefix + "_REPLICAS");
        if (replicas != null && !replicas.equals("0")) {
            put(params, "replicas", prefix + "_REPLICAS");
        }
        put(params, "outboundHostname", prefix + "_OUTBOUND_HOSTNAME");
        destinations(params, prefix);
        return Collections.unmodifiableMap(params);
    }

    private void destinations(Map<String, List<String>> params, String prefix) {
        int indexed = 0;
        while (indexed < MAX_INDEX && get(prefix + "_SERVICE_PATH_" + (indexed + 1)) != null
                && get(prefix + "_PORT_" + (indexed + 1)) != null) {
            indexed++;
        }
        boolean unnumbered = get(prefix + "_SERVICE_PATH") != null || get(prefix + "_PORT") != null;
        int shift = 0;
        if (unnumbered) {
            String suffix = indexed == 0 ? "" : ".1";
            for (String name : DESTINATION) {
                put(params, camel(name) + suffix, prefix + '_' + name);
            }
            shift = indexed == 0 ? 0 : 1;
        }
        for (int i = 1; i <= indexed; i++) {
            for (String name : INDEXED) {
                put(params, camel(name) + '.' + (i + shift), prefix + '_' + name + '_' + i);
            }
        }
    }

    private String whyUnread(String name) {
        String rest = name.substring(PREFIX.length() + 1);
        int underscore = rest.indexOf('_');
        if (underscore > 0 && underscore < 10 && rest.substring(0, underscore).chars().allMatch(Character::isDigit)) {
            int number = Integer.parseInt(rest.substring(0, underscore));
            if (number < 1 || number > numbered) {
                return "services are numbered from 1 without a gap and DFP_SERVICE_" + (numbered + 1)
                        + "_SERVICE_NAME is not set";
            }
            rest = rest.substring(underscore + 1);
        }
        if (rest.startsWith("USERS")) {
            return "users are not read from DFP_SERVICE_* variables, as in Docker Flow Proxy; "
                    + "expected USERS, or users in a reconfigure request";
        }
        if (rest.equals("DISTRIBUTE")) {
            return "each replica reads its own environment; nothing is distributed";
        }
        if (rest.equals("REPLICAS")) {
            return "a service from the environment is always kept";
        }
        if (rest.equals("SERVICE_DOMAIN_MATCH_ALL")) {
            return "SERVICE_DOMAIN_ALGO is set, or it is not true";
        }
        if (DESTINATION.contains(rest)) {
            return "a destination without SERVICE_PATH or PORT; with indexed destinations _N these values "
                    + "are not their defaults, as in Docker Flow Proxy";
        }
        int last = rest.lastIndexOf('_');
        if (last > 0 && INDEXED.contains(rest.substring(0, last))) {
            return "indexed destinations need both SERVICE_PATH_N and PORT_N, numbered from 1 without a gap, "
                    + "at most " + MAX_INDEX;
        }
        return "not a variable Docker Flow Proxy reads for a service";
    }

    private void put(Map<String, List<String>> params, String param, String variable) {
        String value = get(variable);
        if (value != null) {
            read.add(variable);
            params.put(param, List.of(value));
        }
    }

    private String get(String variable) {
        String value = variables.get(variable);
        return isBlank(value) ? null : value;
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    /** {@code REQ_PATH_SEARCH_REPLACE} -> {@code reqPathSearchReplace}. */
    static String camel(String snake) {
        StringBuilder sb = new StringBuilder(snake.length());
        boolean upper = false;
        for (char c : snake.toLowerCase(Locale.ROOT).toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                sb.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return sb.toString();
    }
}
