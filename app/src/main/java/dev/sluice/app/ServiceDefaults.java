package dev.sluice.app;

import java.util.List;

/**
 * Environment settings that apply to every dynamic service (reconfigure, {@code DFP_SERVICE_*}),
 * with Docker Flow Proxy's names and defaults.
 *
 * @param separator          splits list parameters ({@code SEPARATOR}, default {@code ,})
 * @param serviceDomainAlgo  the host fetch of {@code serviceDomain} ACLs ({@code SERVICE_DOMAIN_ALGO},
 *                           default {@code hdr_beg(host)})
 * @param defaultReqMode     {@code reqMode} when a service gives none ({@code DEFAULT_REQ_MODE}:
 *                           http, tcp or sni; default http)
 * @param httpsOnly          redirect every service to https ({@code HTTPS_ONLY}, default false)
 * @param users              global basic-auth users, raw {@code user:pass,...} ({@code USERS},
 *                           also secret {@code dfp_users}); {@code null} when unset
 * @param usersPassEncrypted whether the passwords of {@code users} are crypt(3) hashes
 *                           ({@code USERS_PASS_ENCRYPTED}, default false)
 */
record ServiceDefaults(String separator, String serviceDomainAlgo, String defaultReqMode, boolean httpsOnly,
                       String users, boolean usersPassEncrypted) {

    static final List<String> DOMAIN_ALGOS = List.of("hdr(host)", "hdr_beg(host)", "hdr_end(host)",
            "hdr_dom(host)", "hdr_reg(host)", "hdr_sub(host)", "req.ssl_sni");
    static final List<String> REQ_MODES = List.of("http", "tcp", "sni");

    static ServiceDefaults from(Environment env) {
        return new ServiceDefaults(
                env.get("SEPARATOR", ","),
                env.oneOf("SERVICE_DOMAIN_ALGO", "hdr_beg(host)", DOMAIN_ALGOS),
                env.oneOf("DEFAULT_REQ_MODE", "http", REQ_MODES),
                env.bool("HTTPS_ONLY", false),
                env.get("USERS"),
                env.bool("USERS_PASS_ENCRYPTED", false));
    }

    /** Never shows the users' passwords. */
    @Override
    public String toString() {
        return "ServiceDefaults[separator=" + separator + ", serviceDomainAlgo=" + serviceDomainAlgo
                + ", defaultReqMode=" + defaultReqMode + ", httpsOnly=" + httpsOnly
                + ", users=" + (users == null ? "none" : "(hidden)") + ", usersPassEncrypted=" + usersPassEncrypted + ']';
    }
}
