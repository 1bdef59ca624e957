package dev.sluice.routing.config;

import dev.sluice.routing.config.ServerTlsConfig.CheckSsl;
import dev.sluice.routing.config.ServerTlsConfig.Verify;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The TLS options of {@code server} and {@code default-server} lines, as HAProxy reads them: a
 * later option overrides an earlier one (so a server line overrides its {@code default-server}),
 * files are read at once (a missing or empty one is an error at its line, as in HAProxy).
 */
final class ServerTlsOptions {

    static final Set<String> FLAGS = Set.of("ssl", "no-ssl", "check-ssl", "no-check-ssl", "no-verifyhost");
    static final Set<String> WITH_VALUE = Set.of("verify", "ca-file", "crt", "sni", "verifyhost", "check-sni");

    private boolean ssl;
    private Verify verify = Verify.DEFAULT;
    private String caFile;
    private String sni;
    private String crt;
    private CheckSsl checkSsl = CheckSsl.DEFAULT;
    private String verifyHost;
    private String checkSni;

    void flag(String k) {
        switch (k) {
            case "ssl" -> ssl = true;
            case "no-ssl" -> ssl = false;
            case "check-ssl" -> checkSsl = CheckSsl.ON;
            case "no-check-ssl" -> checkSsl = CheckSsl.OFF;
            case "no-verifyhost" -> verifyHost = null;
            default -> throw new IllegalArgumentException(k);
        }
    }

    void option(ParseContext ctx, String keyword, String k, String v) {
        switch (k) {
            case "verify" -> verify = switch (v) {
                case "none" -> Verify.NONE;
                case "required" -> Verify.REQUIRED;
                default -> throw new ConfigException("'" + keyword + " verify': unknown verify method '" + v
                        + "' (expected none or required)");
            };
            case "ca-file" -> caFile = caFile(ctx, keyword, v);
            case "crt" -> crt = crt(ctx, keyword, v);
            case "sni" -> sni = sni(keyword, v);
            case "verifyhost" -> verifyHost = hostName(keyword + " verifyhost", v);
            case "check-sni" -> checkSni = hostName(keyword + " check-sni", v);
            default -> throw new IllegalArgumentException(k);
        }
    }

    ServerTlsConfig build() {
        if (!ssl && verify == Verify.DEFAULT && caFile == null && sni == null && crt == null
                && checkSsl == CheckSsl.DEFAULT && verifyHost == null && checkSni == null) {
            return ServerTlsConfig.NONE;
        }
        return new ServerTlsConfig(ssl, verify, caFile, sni, crt, checkSsl, verifyHost, checkSni);
    }

    private static String caFile(ParseContext ctx, String keyword, String v) {
        if (v.equals(ServerTlsConfig.SYSTEM_CA)) {
            return v;
        }
        String path = ctx.resolve(ctx.caBase, v).toString();
        String pem = new String(ctx.read(keyword + " ca-file", path), StandardCharsets.US_ASCII);
        if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
            throw new ConfigException("'" + keyword + " ca-file': no certificate found in '" + path
                    + "' (expected PEM certificates, -----BEGIN CERTIFICATE-----)");
        }
        return path;
    }

    private static String crt(ParseContext ctx, String keyword, String v) {
        String path = ctx.resolve(ctx.crtBase, v).toString();
        String pem = new String(ctx.read(keyword + " crt", path), StandardCharsets.US_ASCII);
        if (!pem.contains("-----BEGIN CERTIFICATE-----") || !pem.matches("(?s).*-----BEGIN [A-Z ]*PRIVATE KEY-----.*")) {
            throw new ConfigException("'" + keyword + " crt': '" + path + "' does not hold both a certificate and "
                    + "its private key (expected one PEM file with -----BEGIN CERTIFICATE----- and "
                    + "-----BEGIN PRIVATE KEY-----)");
        }
        return path;
    }

    /** {@code str(NAME)}, {@code req.hdr(host)} or {@code hdr(host)}; other sample fetches are refused. */
    private static String sni(String keyword, String v) {
        String lower = v.toLowerCase(Locale.ROOT);
        if (lower.equals("req.hdr(host)") || lower.equals("hdr(host)")) {
            return lower;
        }
        if (v.startsWith("str(") && v.endsWith(")") && v.length() > 5) {
            hostName(keyword + " sni", v.substring(4, v.length() - 1));
            return v;
        }
        throw new ConfigException("'" + keyword + " sni': unsupported expression '" + v
                + "' (expected str(NAME), req.hdr(host) or hdr(host))");
    }

    private static String hostName(String what, String v) {
        if (!v.matches("[A-Za-z0-9*]([A-Za-z0-9._*-]*[A-Za-z0-9])?")) {
            throw new ConfigException("'" + what + "': '" + v + "' (expected a host name)");
        }
        return v;
    }

    static List<String> render(ServerTlsConfig t) {
        List<String> out = new ArrayList<>();
        if (t.ssl()) {
            out.add("ssl");
        }
        if (t.verify() != Verify.DEFAULT) {
            out.add("verify");
            out.add(t.verify().name().toLowerCase(Locale.ROOT));
        }
        add(out, "ca-file", t.caFile());
        add(out, "crt", t.crt());
        add(out, "sni", t.sni());
        add(out, "verifyhost", t.verifyHost());
        if (t.checkSsl() == CheckSsl.ON) {
            out.add("check-ssl");
        } else if (t.checkSsl() == CheckSsl.OFF) {
            out.add("no-check-ssl");
        }
        add(out, "check-sni", t.checkSni());
        return out;
    }

    private static void add(List<String> out, String k, String v) {
        if (v != null) {
            out.add(k);
            out.add(v);
        }
    }
}
