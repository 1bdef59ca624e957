package dev.sluice.app;

import static java.util.Objects.requireNonNull;

/** The basic-auth credentials that close the admin API ({@code ADMIN_USER} / {@code ADMIN_PASS}). */
record AdminCredentials(String user, String password) {

    AdminCredentials {
        requireNonNull(user, "user");
        requireNonNull(password, "password");
    }

    /** Both variables, or {@code null} when neither is set; only one of them is an error. */
    static AdminCredentials from(Environment env) {
        String user = env.get("ADMIN_USER");
        String password = env.get("ADMIN_PASS");
        if (user == null && password == null) {
            return null;
        }
        if (user == null || password == null) {
            String set = user == null ? "ADMIN_PASS" : "ADMIN_USER";
            String missing = user == null ? "ADMIN_USER" : "ADMIN_PASS";
            throw new IllegalArgumentException(set + " is set but " + missing
                    + " is not (expected both ADMIN_USER and ADMIN_PASS, or neither)");
        }
        return new AdminCredentials(user, password);
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "AdminCredentials[user=" + user + ", password=(hidden)]";
    }
}
