package dev.sluice.routing.config;

import java.util.List;
import java.util.Set;

/** The {@code global} and {@code userlist} sections. */
final class GlobalKeywords {

    private static final Set<String> IGNORED = Set.of("log-send-hostname", "log-tag", "daemon",
            "nbthread", "nbproc", "user", "group", "uid", "gid", "pidfile", "chroot", "stats",
            "master-worker", "cpu-map", "ssl-default-server-ciphers",
            "ssl-default-server-ciphersuites", "ssl-default-server-options", "spread-checks",
            "hard-stop-after", "quiet", "node", "description", "ulimit-n",
            "server-state-file", "server-state-base", "localpeer", "maxsslconn", "maxconnrate",
            "maxsessrate", "maxpipes", "noepoll", "nopoll", "nosplice", "insecure-fork-wanted",
            "expose-experimental-directives", "h1-case-adjust", "setenv", "presetenv", "resetenv",
            "unsetenv", "issuers-chain-path", "ssl-dh-param-file", "zero-warning", "busy-polling",
            "set-dumpable", "strict-limits", "external-check", "max-spread-checks", "grace");

    private final ParseContext ctx;
    int maxconn;
    int bufsize = GlobalConfig.DEFAULT.bufsize();
    int maxHeaders = GlobalConfig.DEFAULT.maxHeaders();
    List<String> sslBindOptions = List.of();
    String sslBindCiphers;
    String sslBindCiphersuites;
    ServerTlsConfig.Verify sslServerVerify = ServerTlsConfig.Verify.DEFAULT;
    boolean log;

    GlobalKeywords(ParseContext ctx) {
        this.ctx = ctx;
    }

    void global(int line, List<String> w) {
        String k = w.get(0);
        switch (k) {
            case "log" -> {
                Values.arity(w, 1, "log TARGET [FORMAT...] FACILITY");
                log = true;
                String target = w.get(1);
                if (!target.equals("stdout") && !target.equals("stderr")) {
                    ctx.warn(line, "'log " + target + "': Sluice writes its access log to standard output (or "
                            + "LOG_FILE), not to syslog; the line turns the access log on");
                }
            }
            case "maxconn" -> {
                Values.arity(w, 1, "maxconn N");
                maxconn = Values.integer("maxconn", w.get(1), 0, Integer.MAX_VALUE);
            }
            case "tune.bufsize" -> {
                Values.arity(w, 1, "tune.bufsize BYTES");
                bufsize = Values.integer("tune.bufsize", w.get(1), 1024, 1 << 24);
            }
            case "tune.http.maxhdr" -> {
                Values.arity(w, 1, "tune.http.maxhdr N");
                maxHeaders = Values.integer("tune.http.maxhdr", w.get(1), 1, 32767);
            }
            case "ssl-default-bind-options" -> {
                Values.arity(w, 1, "ssl-default-bind-options OPTION...");
                List<String> options = w.subList(1, w.size());
                BindTlsParser.checkDefaults(ctx, line, options);
                sslBindOptions = List.copyOf(options);
                ctx.sslDefaults = BindTlsParser.defaults(sslBindOptions, sslBindCiphers, sslBindCiphersuites);
            }
            case "ssl-default-bind-ciphers" -> {
                Values.arity(w, 1, "ssl-default-bind-ciphers CIPHERS");
                sslBindCiphers = BindTlsParser.cipherString("ssl-default-bind-ciphers", w.get(1));
                ctx.sslDefaults = BindTlsParser.defaults(sslBindOptions, sslBindCiphers, sslBindCiphersuites);
            }
            case "ssl-default-bind-ciphersuites" -> {
                Values.arity(w, 1, "ssl-default-bind-ciphersuites SUITES");
                sslBindCiphersuites = BindTlsParser.cipherString("ssl-default-bind-ciphersuites", w.get(1));
                ctx.sslDefaults = BindTlsParser.defaults(sslBindOptions, sslBindCiphers, sslBindCiphersuites);
            }
            case "ca-base" -> {
                Values.arity(w, 1, "ca-base DIRECTORY");
                ctx.caBase = w.get(1);
            }
            case "crt-base" -> {
                Values.arity(w, 1, "crt-base DIRECTORY");
                ctx.crtBase = w.get(1);
            }
            case "ssl-server-verify" -> {
                Values.arity(w, 1, "ssl-server-verify none|required");
                sslServerVerify = switch (w.get(1)) {
                    case "none" -> ServerTlsConfig.Verify.NONE;
                    case "required" -> ServerTlsConfig.Verify.REQUIRED;
                    default -> throw new ConfigException("'ssl-server-verify': '" + w.get(1)
                            + "' (expected none or required)");
                };
            }
            default -> {
                if (IGNORED.contains(k) || k.startsWith("tune.") || k.startsWith("ssl-")) {
                    ctx.ignored(line, k, "process and logging settings are Sluice's own");
                    return;
                }
                throw new ConfigException("unknown keyword '" + k + "' in global section (expected one of: "
                        + "maxconn, ssl-server-verify, tune.bufsize, tune.http.maxhdr, or an ignored process setting such as "
                        + "log, daemon, nbthread)");
            }
        }
    }

    GlobalConfig build() {
        return new GlobalConfig(maxconn, bufsize, maxHeaders, sslBindOptions, sslBindCiphers, sslBindCiphersuites,
                sslServerVerify, log);
    }

    /** One line of a {@code userlist} section. */
    static void userlistLine(UserlistBuilder u, List<String> w) {
        switch (w.get(0)) {
            case "user" -> {
                Values.arity(w, 1, "user NAME password HASH | insecure-password PASSWORD [groups G,...]");
                String name = w.get(1);
                String password = null;
                boolean insecure = false;
                List<String> groups = List.of();
                for (int i = 2; i < w.size(); i += 2) {
                    String k = w.get(i);
                    if (i + 1 >= w.size()) {
                        throw new ConfigException("'user " + name + "': '" + k + "' needs a value");
                    }
                    String v = w.get(i + 1);
                    switch (k) {
                        case "password" -> {
                            try {
                                dev.sluice.routing.acl.BasicAuth.validateHash(v);
                            } catch (IllegalArgumentException e) {
                                throw new ConfigException("'user " + name + "': " + e.getMessage());
                            }
                            password = v;
                        }
                        case "insecure-password" -> {
                            password = v;
                            insecure = true;
                        }
                        case "groups" -> groups = List.of(v.split(","));
                        default -> throw new ConfigException("'user " + name + "': unknown option '" + k
                                + "' (expected password, insecure-password or groups)");
                    }
                }
                if (password == null) {
                    throw new ConfigException("'user " + name + "': missing password (expected password HASH "
                            + "or insecure-password PASSWORD)");
                }
                u.users.add(new UserlistConfig.User(name, password, insecure, groups));
            }
            case "group" -> {
                Values.arity(w, 1, "group NAME [users U,...]");
                List<String> users = List.of();
                if (w.size() == 4 && w.get(2).equals("users")) {
                    users = List.of(w.get(3).split(","));
                } else if (w.size() != 2) {
                    throw new ConfigException("'group " + w.get(1) + "': expected 'group NAME [users U1,U2]'");
                }
                u.groups.add(new UserlistConfig.Group(w.get(1), users));
            }
            default -> throw new ConfigException("unknown keyword '" + w.get(0)
                    + "' in userlist section (expected one of: group, user)");
        }
    }

    static final class UserlistBuilder {
        final String name;
        final int line;
        final List<UserlistConfig.User> users = new java.util.ArrayList<>();
        final List<UserlistConfig.Group> groups = new java.util.ArrayList<>();

        UserlistBuilder(String name, int line) {
            this.name = name;
            this.line = line;
        }

        UserlistConfig build() {
            return new UserlistConfig(name, users, groups);
        }
    }
}
