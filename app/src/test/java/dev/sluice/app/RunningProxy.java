package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.routing.Bind;
import dev.sluice.routing.config.ConfigParser;
import dev.sluice.routing.config.FrontendConfig;
import dev.sluice.routing.config.ParseResult;
import dev.sluice.routing.config.ProxyConfig;

import java.nio.file.Path;
import java.util.List;

/**
 * Sluice started from HAProxy-style configuration text, as a user would start it. The parser
 * rejects {@code bind ADDR:0} as HAProxy does, so a frontend written without a bind line gets
 * {@code 127.0.0.1:0} here, the way the app gives frontend {@code services} its binds.
 */
final class RunningProxy implements AutoCloseable {

    /** Defaults for every test configuration: short timeouts so a hung test fails fast. */
    static final String DEFAULTS = """
            defaults
                mode http
                timeout connect 2s
                timeout client 5s
                timeout server 5s
                timeout http-request 5s
                timeout http-keep-alive 5s
            """;

    private static final Bind EPHEMERAL = new Bind("127.0.0.1", 0, false);

    private final Sluice sluice;

    private RunningProxy(Sluice sluice) {
        this.sluice = sluice;
    }

    /** Parses {@link #DEFAULTS} + {@code config} (with origins expanded), which must be valid, and starts it. */
    static RunningProxy start(Origins origins, String config) throws Exception {
        return start(origins, config, null);
    }

    static RunningProxy start(Origins origins, String configText, Path baseDir) throws Exception {
        String text = DEFAULTS + origins.expand(configText);
        ParseResult parsed = ConfigParser.parse(text, "e2e.cfg", baseDir);
        assertThat(parsed.errors()).as("configuration errors in:\n%s", text).isEmpty();
        ProxyConfig config = parsed.config();
        for (FrontendConfig f : config.frontends()) {
            if (f.binds().isEmpty()) {
                config = config.withBinds(f.name(), List.of(EPHEMERAL));
            }
        }
        return new RunningProxy(Sluice.start(config, System.err));
    }

    /** The first port of {@code frontend}. */
    int port(String frontend) {
        return sluice.port(frontend);
    }

    Sluice sluice() {
        return sluice;
    }

    @Override
    public void close() {
        sluice.close();
    }
}
