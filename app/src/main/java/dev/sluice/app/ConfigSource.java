package dev.sluice.app;

import dev.sluice.routing.config.ConfigParser;
import dev.sluice.routing.config.ParseResult;
import dev.sluice.routing.config.ProxyConfig;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Where the configuration comes from: a file given with {@code -f}, or the embedded default. */
final class ConfigSource {

    static final String SERVICES = "services";
    static final String EMBEDDED = "/conf/sluice.cfg";

    private ConfigSource() {
    }

    static ParseResult load(String file) {
        if (file != null) {
            return ConfigParser.parse(Path.of(file));
        }
        try (InputStream in = ConfigSource.class.getResourceAsStream(EMBEDDED)) {
            if (in == null) {
                throw new IllegalStateException("the embedded " + EMBEDDED + " is missing from the jar");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return ConfigParser.parse(text, "sluice.cfg (embedded)", Path.of("."));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
            return config.withBinds(SERVICES, settings.servicesBinds());
        }
        return config;
    }
}
