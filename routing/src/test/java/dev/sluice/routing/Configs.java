package dev.sluice.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.routing.config.ConfigParser;
import dev.sluice.routing.config.ParseResult;
import dev.sluice.routing.config.ProxyConfig;
import java.nio.file.Path;

/** Test helpers: parse text that must be valid, compile it. */
public final class Configs {

    private Configs() {
    }

    public static ProxyConfig parse(String text) {
        return parse(text, null);
    }

    public static ProxyConfig parse(String text, Path baseDir) {
        ParseResult r = ConfigParser.parse(text, "test.cfg", baseDir);
        assertThat(r.errors()).as("errors").isEmpty();
        return r.config();
    }

    public static RoutingTable compile(String text) {
        return RoutingCompiler.compile(parse(text), null);
    }

    /** The backend name the frontend {@code frontend} routes {@code request} to, or null. */
    public static String route(RoutingTable table, String frontend, RequestView request) {
        Backend b = table.frontend(frontend).select(request);
        return b == null ? null : b.name();
    }
}
