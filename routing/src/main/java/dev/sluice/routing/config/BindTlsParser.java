package dev.sluice.routing.config;

import dev.sluice.routing.BindTls;
import dev.sluice.routing.BindTls.CertFile;
import dev.sluice.routing.BindTls.Verify;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The TLS options of {@code bind} lines and of {@code ssl-default-bind-*}, with HAProxy's meaning.
 * An option Sluice does not apply is an error when ignoring it would weaken or change security
 * ({@code crl-file}, {@code ca-ignore-err}, {@code curves}, ...), a warning when it is harmless.
 */
final class BindTlsParser {

    /** TLS options Sluice applies; those in {@link #WITH_VALUE} take a value. */
    static final Set<String> SUPPORTED = Set.of("crt", "crt-list", "ca-file", "verify", "alpn", "ssl-min-ver",
            "ssl-max-ver", "ciphers", "ciphersuites", "no-sslv3", "no-tlsv10", "no-tlsv11", "no-tlsv12", "no-tlsv13",
            "force-sslv3", "force-tlsv10", "force-tlsv11", "force-tlsv12", "force-tlsv13", "no-tls-tickets",
            "strict-sni");
    static final Set<String> WITH_VALUE = Set.of("crt", "crt-list", "ca-file", "verify", "alpn", "ssl-min-ver",
            "ssl-max-ver", "ciphers", "ciphersuites", "crl-file", "ca-ignore-err", "crt-ignore-err", "curves",
            "ecdhe", "npn", "ca-verify-file", "ca-sign-file", "ca-sign-pass", "sigalgs", "client-sigalgs",
            "tls-ticket-keys");
    /** Not applied, and a client could get less security than the line asks for: refused. */
    private static final Set<String> REFUSED = Set.of("crl-file", "ca-ignore-err", "crt-ignore-err", "curves", "ecdhe",
            "ca-verify-file", "ca-sign-file", "ca-sign-pass", "generate-certificates", "sigalgs", "client-sigalgs",
            "ssl-skip-self-issued-ca");
    /** Not applied, and harmless to ignore: a warning. */
    private static final Set<String> HARMLESS = Set.of("npn", "prefer-client-ciphers", "no-ca-names", "allow-0rtt",
            "tls-ticket-keys", "no-alpn");
    /** What {@code ssl-default-bind-options} accepts (as HAProxy 2.6). */
    private static final Set<String> DEFAULT_OPTIONS = Set.of("no-sslv3", "no-tlsv10", "no-tlsv11", "no-tlsv12",
            "no-tlsv13", "force-sslv3", "force-tlsv10", "force-tlsv11", "force-tlsv12", "force-tlsv13",
            "no-tls-tickets", "ssl-min-ver", "ssl-max-ver", "prefer-client-ciphers");

    private BindTlsParser() {
    }

    /** The {@code ssl-default-bind-*} settings read so far. */
    record Defaults(List<String> options, String ciphers, String ciphersuites) {
        static final Defaults NONE = new Defaults(List.of(), null, null);
    }

    /** TLS versions as HAProxy names them, oldest first. */
    enum Version {
        SSLV3("SSLv3"), TLSV10("TLSv1.0"), TLSV11("TLSv1.1"), TLSV12("TLSv1.2"), TLSV13("TLSv1.3");

        final String text;

        Version(String text) {
            this.text = text;
        }

        static Version parse(String keyword, String text) {
            for (Version v : values()) {
                if (v.text.equals(text)) {
                    return v;
                }
            }
            throw new ConfigException("'" + keyword + "': unknown TLS version '" + text
                    + "' (expected SSLv3, TLSv1.0, TLSv1.1, TLSv1.2 or TLSv1.3)");
        }
    }

    static Defaults defaults(List<String> options, String ciphers, String ciphersuites) {
        return new Defaults(List.copyOf(options), ciphers, ciphersuites);
    }

    /** Checks {@code ssl-default-bind-options}: only the options HAProxy accepts there. */
    static void checkDefaults(ParseContext ctx, int line, List<String> options) {
        State state = new State();
        for (int i = 0; i < options.size(); i++) {
            String o = options.get(i);
            if (!DEFAULT_OPTIONS.contains(o)) {
                throw new ConfigException("'ssl-default-bind-options': unknown option '" + o + "' (expected: "
                        + String.join(", ", new java.util.TreeSet<>(DEFAULT_OPTIONS)) + ")");
            }
            if (o.equals("prefer-client-ciphers")) {
                ctx.warn(line, "'ssl-default-bind-options prefer-client-ciphers' is ignored by Sluice "
                        + "(the server's cipher order applies)");
                continue;
            }
            String value = null;
            if (WITH_VALUE.contains(o)) {
                if (i + 1 >= options.size()) {
                    throw new ConfigException("'ssl-default-bind-options': option '" + o + "' needs a value");
                }
                value = options.get(++i);
            }
            state.apply(o, value, null, line);
        }
        state.protocols(ctx, line, "'ssl-default-bind-options'");
    }

    /** Checks a cipher string: one word, not empty. */
    static String cipherString(String keyword, String value) {
        if (value.isBlank()) {
            throw new ConfigException("'" + keyword + "': empty cipher list");
        }
        return value;
    }

    /** Whether {@code option} is a TLS option of {@code bind} that {@link #parse} reads. */
    static boolean isTlsOption(String option) {
        return SUPPORTED.contains(option) || REFUSED.contains(option) || HARMLESS.contains(option);
    }

    /**
     * The TLS settings of an {@code ssl} bind: the global defaults, then {@code options} (only the
     * TLS options of {@link #isTlsOption}, each with its value).
     */
    static BindTls parse(ParseContext ctx, int line, List<String> options) {
        State state = new State();
        Defaults d = ctx.sslDefaults;
        for (int i = 0; i < d.options().size(); i++) {
            String o = d.options().get(i);
            if (o.equals("prefer-client-ciphers")) {
                continue;
            }
            state.apply(o, WITH_VALUE.contains(o) ? d.options().get(++i) : null, null, line);
        }
        state.ciphers = d.ciphers();
        state.ciphersuites = d.ciphersuites();
        boolean ownVersions = false;
        for (int i = 0; i < options.size(); i++) {
            String o = options.get(i);
            String value = WITH_VALUE.contains(o) ? options.get(++i) : null;
            if (REFUSED.contains(o)) {
                throw new ConfigException("'bind': option '" + o + "' is not supported by Sluice, and ignoring it "
                        + "would change the security of the bind (supported TLS options: "
                        + String.join(", ", new java.util.TreeSet<>(SUPPORTED)) + ")");
            }
            if (HARMLESS.contains(o)) {
                ctx.warn(line, "'bind' option '" + o + "' is ignored by Sluice (it does not weaken TLS)");
                continue;
            }
            ownVersions |= o.startsWith("no-tlsv") || o.startsWith("no-sslv") || o.startsWith("force-")
                    || o.startsWith("ssl-m");
            state.apply(o, value, ctx, line);
        }
        if (state.verify != Verify.NONE && state.verify != null && state.caFile == null) {
            throw new ConfigException("'bind': 'verify " + state.verify.name().toLowerCase(Locale.ROOT)
                    + "' needs 'ca-file FILE' (the CAs that sign client certificates)");
        }
        List<String> protocols = state.protocols(ownVersions ? ctx : null, line, "'bind'");
        return new BindTls(state.certs, state.caFile, state.verify == null ? Verify.NONE : state.verify, state.alpn,
                protocols, state.ciphers, state.ciphersuites, state.noTickets, state.strictSni);
    }

    /** What the options say so far. */
    private static final class State {
        final List<CertFile> certs = new ArrayList<>();
        Path caFile;
        Verify verify;
        List<String> alpn = List.of();
        Version min;
        Version max;
        Version forced;
        final EnumSet<Version> disabled = EnumSet.noneOf(Version.class);
        String ciphers;
        String ciphersuites;
        boolean noTickets;
        boolean strictSni;

        /** @param ctx null for the global defaults, whose options name no file */
        void apply(String o, String value, ParseContext ctx, int line) {
            switch (o) {
                case "crt" -> certs.add(new CertFile(readable(ctx, "crt", value, true), List.of()));
                case "crt-list" -> certs.addAll(crtList(ctx, value));
                case "ca-file" -> caFile = readable(ctx, "ca-file", value, false);
                case "verify" -> verify = switch (value) {
                    case "none" -> Verify.NONE;
                    case "optional" -> Verify.OPTIONAL;
                    case "required" -> Verify.REQUIRED;
                    default -> throw new ConfigException("'bind': 'verify " + value
                            + "' (expected none, optional or required)");
                };
                case "alpn" -> {
                    List<String> list = new ArrayList<>();
                    for (String p : value.split(",")) {
                        if (p.isEmpty()) {
                            throw new ConfigException("'bind': 'alpn " + value + "' has an empty protocol name");
                        }
                        list.add(p);
                    }
                    alpn = List.copyOf(list);
                }
                case "ssl-min-ver" -> min = Version.parse("ssl-min-ver", value);
                case "ssl-max-ver" -> max = Version.parse("ssl-max-ver", value);
                case "ciphers" -> ciphers = cipherString("ciphers", value);
                case "ciphersuites" -> ciphersuites = cipherString("ciphersuites", value);
                case "no-tls-tickets" -> noTickets = true;
                case "strict-sni" -> strictSni = true;
                default -> {
                    if (o.startsWith("no-")) {
                        disabled.add(version(o.substring(3)));
                    } else if (o.startsWith("force-")) {
                        forced = version(o.substring(6));
                    } else {
                        throw new IllegalStateException("not a TLS option: " + o);
                    }
                }
            }
        }

        private static Version version(String suffix) {
            return switch (suffix) {
                case "sslv3" -> Version.SSLV3;
                case "tlsv10" -> Version.TLSV10;
                case "tlsv11" -> Version.TLSV11;
                case "tlsv12" -> Version.TLSV12;
                default -> Version.TLSV13;
            };
        }

        /** The versions enabled, newest first; Sluice's floor is TLSv1.2. {@code ctx} null: no warnings. */
        List<String> protocols(ParseContext ctx, int line, String where) {
            EnumSet<Version> enabled;
            if (forced != null) {
                enabled = EnumSet.of(forced);
            } else if (min != null || max != null) {
                Version lo = min == null ? Version.TLSV12 : min;
                Version hi = max == null ? Version.TLSV13 : max;
                enabled = lo.compareTo(hi) <= 0 ? EnumSet.range(lo, hi) : EnumSet.noneOf(Version.class);
                if (!disabled.isEmpty() && ctx != null) {
                    ctx.warn(line, where + ": no-sslv3/no-tlsv1x are ignored when ssl-min-ver or ssl-max-ver is set "
                            + "(as HAProxy does); use only ssl-min-ver and ssl-max-ver");
                }
            } else {
                enabled = EnumSet.of(Version.TLSV12, Version.TLSV13);
                enabled.removeAll(disabled);
            }
            List<String> out = new ArrayList<>();
            for (Version v : List.of(Version.TLSV13, Version.TLSV12)) {
                if (enabled.contains(v)) {
                    out.add(v.text);
                }
            }
            if (out.isEmpty()) {
                throw new ConfigException(where + ": no TLS version is left to enable (Sluice enables only "
                        + "TLSv1.2 and TLSv1.3; expected for example 'ssl-min-ver TLSv1.2')");
            }
            if (ctx != null && enabled.stream().anyMatch(v -> v.compareTo(Version.TLSV12) < 0)) {
                ctx.warn(line, where + ": TLS versions below TLSv1.2 are never enabled by Sluice; only "
                        + String.join(" and ", out) + " are accepted");
            }
            return List.copyOf(out);
        }
    }

    /** A file (or, for crt, a directory) that exists and can be read, as an absolute path. */
    private static Path readable(ParseContext ctx, String keyword, String name, boolean directoryAllowed) {
        Path p = ctx.resolve(name);
        String problem = null;
        if (!Files.exists(p)) {
            problem = "no such file";
        } else if (Files.isDirectory(p) && !directoryAllowed) {
            problem = "a directory (expected a PEM file)";
        } else if (!Files.isReadable(p)) {
            problem = "permission denied";
        }
        if (problem != null) {
            throw new ConfigException("'bind': " + keyword + ": cannot read '" + p + "' (" + problem + ")");
        }
        return p;
    }

    /** {@code crt-list}: one {@code PATH [SNI filter...]} per line; '#' starts a comment. */
    private static List<CertFile> crtList(ParseContext ctx, String name) {
        Path list = ctx.resolve(name);
        String text = new String(ctx.read("crt-list", name), StandardCharsets.UTF_8);
        List<CertFile> out = new ArrayList<>();
        String[] lines = text.split("\r?\n");
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = "crt-list " + list + ":" + (n + 1);
            String[] words = line.split("\\s+");
            List<String> filters = new ArrayList<>();
            for (int i = 1; i < words.length; i++) {
                String w = words[i];
                if (w.startsWith("[")) {
                    throw new ConfigException("'bind': " + where + ": per-certificate [ssl options] are not "
                            + "supported by Sluice (expected PATH [SNI filter...]; put the options on the bind line)");
                }
                if (w.startsWith("!")) {
                    throw new ConfigException("'bind': " + where + ": negative SNI filter '" + w
                            + "' is not supported by Sluice (expected host names or *.domain wildcards)");
                }
                filters.add(w.toLowerCase(Locale.ROOT));
            }
            Path cert;
            try {
                cert = readable(ctx, "crt-list", words[0], false);
            } catch (ConfigException e) {
                throw new ConfigException("'bind': " + where + ": cannot read certificate '" + ctx.resolve(words[0])
                        + "'" + e.getMessage().substring(e.getMessage().lastIndexOf(" (")));
            }
            out.add(new CertFile(cert, filters));
        }
        if (out.isEmpty()) {
            throw new ConfigException("'bind': crt-list " + list + " names no certificate");
        }
        return out;
    }
}
