package dev.sluice.routing.service;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Docker Flow Proxy's {@code users}, {@code usersSecret} and {@code usersPassEncrypted}: a user
 * without a password takes it from the secret file, else from {@code USERS}. Where Docker Flow
 * Proxy invents a random user (locking everyone out) when a password cannot be found, Sluice
 * answers 400 naming the user.
 */
final class Users {

    private static final Pattern USER_NAME = Pattern.compile("[^\\s:,]+");

    private Users() {
    }

    static List<ServiceUser> of(Params p, String serviceName, ServiceDefaults defaults) throws ServiceException {
        boolean encrypted = p.bool("usersPassEncrypted", "");
        List<ServiceUser> fromParam = parse("users", p.exact("users"), encrypted, false);
        String secretName = p.exact("usersSecret");
        List<ServiceUser> fromFile = List.of();
        if (!secretName.isEmpty()) {
            if (!USER_NAME.matcher(secretName).matches() || secretName.contains("/")) {
                throw ServiceException.badParameter("usersSecret", secretName, "a secret name (file dfp_users_NAME)");
            }
            String text = ServiceParser.readSecret(defaults.secretsDir().resolve("dfp_users_" + secretName));
            fromFile = parse("usersSecret", text, encrypted, true);
        }
        if (fromParam.isEmpty()) {
            return fromFile;
        }
        List<ServiceUser> lenders = secretName.isEmpty()
                ? parse("USERS", defaults.users(), defaults.usersPassEncrypted(), true) : fromFile;
        List<ServiceUser> out = new ArrayList<>();
        for (ServiceUser u : fromParam) {
            if (u.password() != null) {
                out.add(u);
                continue;
            }
            ServiceUser lender = lenders.stream().filter(l -> l.name().equalsIgnoreCase(u.name())).findFirst()
                    .orElseThrow(() -> new ServiceException(400, "users: no password for user '" + u.name()
                            + "' of service " + serviceName + " (give user:password, usersSecret, or USERS)"));
            out.add(new ServiceUser(u.name(), lender.password(), lender.encrypted()));
        }
        return out;
    }

    /**
     * {@code user:pass} entries separated by {@code ,} or new lines; a user without a password
     * has {@code null} (or is skipped, for secret files and USERS).
     */
    static List<ServiceUser> parse(String source, String text, boolean encrypted, boolean skipWithoutPassword)
            throws ServiceException {
        List<ServiceUser> users = new ArrayList<>();
        for (String entry : text.split("[,\n]")) {
            String e = entry.strip();
            if (e.isEmpty()) {
                continue;
            }
            int colon = e.indexOf(':');
            String name = (colon < 0 ? e : e.substring(0, colon)).strip();
            String password = colon < 0 ? null : e.substring(colon + 1).strip();
            if (!USER_NAME.matcher(name).matches() || (password != null && password.isEmpty())) {
                throw new ServiceException(400, source + ": an entry is not 'user:password' (user '"
                        + (name.isEmpty() ? "?" : name) + "')");
            }
            if (password == null && skipWithoutPassword) {
                continue;
            }
            users.add(new ServiceUser(name, password, encrypted));
        }
        return users;
    }
}
