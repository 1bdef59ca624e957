package dev.sluice.app;

import dev.sluice.routing.Bind;
import dev.sluice.routing.config.BindConfig;
import dev.sluice.routing.config.ConfigMessage;
import dev.sluice.routing.config.ConfigParser;
import dev.sluice.routing.config.ParseResult;
import dev.sluice.routing.config.ProxyConfig;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Where the configuration comes from: a file given with {@code -f}, or the embedded default.
 * The embedded default takes the environment's {@link EmbeddedOverrides}: its {@code defaults}
 * timeouts and connection mode are replaced by {@code TIMEOUT_*} and {@code CONNECTION_MODE},
 * {@code EXTRA_GLOBAL} lines go to the end of {@code global} and {@code EXTRA_FRONTEND} lines to
 * the end of frontend {@code services}. A file keeps its own values.
 */
final class ConfigSource {

    static final String SERVICES = "services";
    static final String EMBEDDED = "/conf/sluice.cfg";
    static final String EMBEDDED_NAME = "sluice.cfg (embedded)";

    private static final Set<String> SECTIONS = Set.of("global", "defaults", "frontend", "backend", "listen",
            "userlist", "resolvers", "peers", "mailers", "cache", "ring", "http-errors", "program");

    private ConfigSource() {
    }

    /** Parses {@code file}, or the embedded default unchanged when {@code file} is {@code null}. */
    static ParseResult load(String file) {
        if (file != null) {
            return ConfigParser.parse(Path.of(file));
        }
        return ConfigParser.parse(embeddedText(), EMBEDDED_NAME, Path.of("."));
    }

    /** Parses {@code file}, or the embedded default with {@code settings}' overrides when {@code file} is {@code null}. */
    static ParseResult load(String file, Settings settings) {
        return file != null ? load(file) : loadEmbedded(settings.embedded());
    }

    /**
     * The embedded default with {@code overrides} applied. A message about a line that came from
     * a variable names the variable: {@code EXTRA_FRONTEND:2: message} is about its second line.
     */
    static ParseResult loadEmbedded(EmbeddedOverrides overrides) {
        Text text = apply(embeddedText(), overrides);
        ParseResult result = ConfigParser.parse(String.join("\n", text.lines), EMBEDDED_NAME, Path.of("."));
        return new ParseResult(result.config(), text.remap(result.errors()), text.remap(result.warnings()));
    }

    /**
     * The configuration as it will run: frontend {@code services} takes its binds from
     * DEFAULT_PORTS/BIND_PORTS — always for the embedded default, and for a file only when
     * they are set explicitly.
     */
    static ProxyConfig effective(ProxyConfig config, String file, Settings settings) {
        if (!config.hasFrontend(SERVICES)) {
            return config;
        }
        if (file == null || settings.portsFromEnvironment()) {
            return config.replaceFrontend(config.frontend(SERVICES).withBinds(servicesBinds(config, settings)));
        }
        return config;
    }

    /**
     * DEFAULT_PORTS and BIND_PORTS as binds, after {@code global}'s {@code ssl-default-bind-*}; with
     * CA_FILE the ssl binds of DEFAULT_PORTS ask for client certificates ({@code ca-file CA_FILE
     * verify optional}, as Docker Flow Proxy).
     *
     * @throws IllegalArgumentException when CA_FILE cannot be read, or a global TLS setting does not fit
     */
    static List<BindConfig> servicesBinds(ProxyConfig config, Settings settings) {
        List<BindConfig> out = new ArrayList<>();
        for (int i = 0; i < settings.servicesBinds().size(); i++) {
            Bind b = settings.servicesBinds().get(i);
            boolean defaultPort = i < settings.defaultPortCount();
            List<String> options = b.ssl() && defaultPort && settings.caFile() != null
                    ? List.of("ca-file", settings.caFile(), "verify", "optional") : List.of();
            try {
                out.add(BindConfig.parse(b.host(), b.port(), b.ssl(), options, config.global(), null, w -> { }));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException((options.isEmpty() ? "" : "CA_FILE: ") + e.getMessage(), e);
            }
        }
        return out;
    }

    private static String embeddedText() {
        try (InputStream in = ConfigSource.class.getResourceAsStream(EMBEDDED)) {
            if (in == null) {
                throw new IllegalStateException("the embedded " + EMBEDDED + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Rewrites the embedded text line by line, remembering where each line came from. */
    static Text apply(String embedded, EmbeddedOverrides overrides) {
        Text out = new Text();
        String[] lines = embedded.split("\r?\n", -1);
        String section = null;
        for (int i = 0; i < lines.length; i++) {
            String[] words = lines[i].trim().split("\\s+");
            if (SECTIONS.contains(words[0])) {
                out.endOfSection(section, overrides);
                section = words[0].equals("frontend") && words.length > 1 ? "frontend " + words[1] : words[0];
            } else if ("defaults".equals(section) && replaced(words)) {
                continue;
            }
            out.add(lines[i], EMBEDDED_NAME, i + 1);
        }
        out.endOfSection(section, overrides);
        return out;
    }

    /** A {@code defaults} line whose value comes from the environment. */
    private static boolean replaced(String[] words) {
        if (words.length < 2) {
            return false;
        }
        return words[0].equals("timeout") && DefaultTimeouts.DFP.byKeyword().containsKey(words[1])
                || words[0].equals("option") && EmbeddedOverrides.CONNECTION_MODES.contains(words[1]);
    }

    /** Lines of configuration text, each with the file (or variable) and line it came from. */
    static final class Text {
        final List<String> lines = new ArrayList<>();
        private final List<ConfigMessage> origins = new ArrayList<>();

        void add(String line, String origin, int originLine) {
            lines.add(line);
            origins.add(new ConfigMessage(origin, originLine, ""));
        }

        void endOfSection(String section, EmbeddedOverrides overrides) {
            if (section == null) {
                return;
            }
            switch (section) {
                case "global" -> {
                    for (String[] line : overrides.sslGlobalLines()) {
                        add("    " + line[0], line[1], 1);
                    }
                    addAll(overrides.extraGlobal(), "EXTRA_GLOBAL");
                }
                case "frontend " + SERVICES -> addAll(overrides.extraFrontend(), "EXTRA_FRONTEND");
                case "defaults" -> {
                    overrides.timeouts().byKeyword().forEach((keyword, t) ->
                            add("    timeout " + keyword + ' ' + t.seconds() + 's', t.variable(), 1));
                    add("    option " + overrides.connectionMode(), "CONNECTION_MODE", 1);
                }
                default -> { }
            }
        }

        private void addAll(List<String> extra, String variable) {
            for (int i = 0; i < extra.size(); i++) {
                add("    " + extra.get(i), variable, i + 1);
            }
        }

        /** The messages with the file and line each line came from. */
        List<ConfigMessage> remap(List<ConfigMessage> messages) {
            List<ConfigMessage> out = new ArrayList<>(messages.size());
            for (ConfigMessage m : messages) {
                if (m.line() >= 1 && m.line() <= origins.size()) {
                    ConfigMessage origin = origins.get(m.line() - 1);
                    out.add(new ConfigMessage(origin.file(), origin.line(), m.message()));
                } else {
                    out.add(m);
                }
            }
            return out;
        }
    }
}
