package dev.sluice.routing.service;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;

/**
 * What Docker Flow Proxy takes from its environment for every service.
 *
 * @param separator          {@code SEPARATOR}: splits list parameters (default {@code ,})
 * @param serviceDomainAlgo  {@code SERVICE_DOMAIN_ALGO}: the fetch of domain ACLs
 * @param defaultReqMode     {@code DEFAULT_REQ_MODE}: {@code http}, {@code tcp} or {@code sni}
 * @param httpsOnly          {@code HTTPS_ONLY}: every http destination redirects to https
 * @param users              {@code USERS}: {@code user:pass,...} asked of every http service
 *                           (and lending passwords to {@code users} entries without one); empty: none
 * @param usersPassEncrypted {@code USERS_PASS_ENCRYPTED}: the passwords of {@code users} are crypt(3) hashes
 * @param secretsDir         where {@code usersSecret=X} reads {@code dfp_users_X} ({@code /run/secrets})
 */
public record ServiceDefaults(String separator, String serviceDomainAlgo, String defaultReqMode,
                              boolean httpsOnly, String users, boolean usersPassEncrypted, Path secretsDir) {

    /** The fetches a domain ACL may use. */
    public static final List<String> DOMAIN_ALGOS = List.of("hdr(host)", "hdr_beg(host)", "hdr_end(host)",
            "hdr_dom(host)", "hdr_reg(host)", "hdr_sub(host)", "req.ssl_sni", "req_ssl_sni");

    /** Docker Flow Proxy's defaults. */
    public static final ServiceDefaults DFP = new ServiceDefaults(",", "hdr_beg(host)", "http", false, "", false,
            Path.of("/run/secrets"));

    public ServiceDefaults {
        requireNonNull(separator, "separator");
        requireNonNull(serviceDomainAlgo, "serviceDomainAlgo");
        requireNonNull(defaultReqMode, "defaultReqMode");
        requireNonNull(users, "users");
        requireNonNull(secretsDir, "secretsDir");
        if (separator.isEmpty()) {
            throw new IllegalArgumentException("SEPARATOR: must not be empty");
        }
        if (!DOMAIN_ALGOS.contains(serviceDomainAlgo)) {
            throw new IllegalArgumentException("SERVICE_DOMAIN_ALGO: '" + serviceDomainAlgo + "' (expected one of "
                    + String.join(", ", DOMAIN_ALGOS) + ")");
        }
        if (!List.of("http", "tcp", "sni").contains(defaultReqMode)) {
            throw new IllegalArgumentException("DEFAULT_REQ_MODE: '" + defaultReqMode + "' (expected http, tcp or sni)");
        }
    }
}
