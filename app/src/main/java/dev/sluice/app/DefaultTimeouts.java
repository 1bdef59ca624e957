package dev.sluice.app;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code defaults} timeouts of the embedded configuration, in whole seconds, from Docker Flow
 * Proxy's {@code TIMEOUT_*} variables; the defaults are those of Docker Flow Proxy's image.
 */
record DefaultTimeouts(int connect, int client, int server, int queue, int tunnel, int httpRequest,
                       int httpKeepAlive) {

    static final DefaultTimeouts DFP = new DefaultTimeouts(5, 20, 20, 30, 3600, 5, 15);

    /** The largest value: HAProxy's timers are 32-bit milliseconds. */
    static final int MAX_SECONDS = Integer.MAX_VALUE / 1000;

    static DefaultTimeouts from(Environment env) {
        return new DefaultTimeouts(
                seconds(env, "TIMEOUT_CONNECT", DFP.connect),
                seconds(env, "TIMEOUT_CLIENT", DFP.client),
                seconds(env, "TIMEOUT_SERVER", DFP.server),
                seconds(env, "TIMEOUT_QUEUE", DFP.queue),
                seconds(env, "TIMEOUT_TUNNEL", DFP.tunnel),
                seconds(env, "TIMEOUT_HTTP_REQUEST", DFP.httpRequest),
                seconds(env, "TIMEOUT_HTTP_KEEP_ALIVE", DFP.httpKeepAlive));
    }

    private static int seconds(Environment env, String name, int defaultValue) {
        return env.integer(name, defaultValue, 0, MAX_SECONDS, "whole seconds");
    }

    /**
     * HAProxy timeout name ({@code connect}, {@code http-request}, ...) to seconds, in the order
     * Docker Flow Proxy writes them, each with the variable it comes from.
     */
    Map<String, Entry> byKeyword() {
        Map<String, Entry> m = new LinkedHashMap<>();
        m.put("connect", new Entry("TIMEOUT_CONNECT", connect));
        m.put("client", new Entry("TIMEOUT_CLIENT", client));
        m.put("server", new Entry("TIMEOUT_SERVER", server));
        m.put("queue", new Entry("TIMEOUT_QUEUE", queue));
        m.put("tunnel", new Entry("TIMEOUT_TUNNEL", tunnel));
        m.put("http-request", new Entry("TIMEOUT_HTTP_REQUEST", httpRequest));
        m.put("http-keep-alive", new Entry("TIMEOUT_HTTP_KEEP_ALIVE", httpKeepAlive));
        return m;
    }

    /** One timeout: the variable it comes from and its seconds. */
    record Entry(String variable, int seconds) {
    }
}
