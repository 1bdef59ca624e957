package dev.sluice.app;

import dev.sluice.proxy.TestBackend;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Real origins ({@link TestBackend}) created on demand by name. Configuration text names them
 * as {@code {{NAME}}}, which {@link #expand} replaces with {@code 127.0.0.1:PORT}; each origin
 * answers with {@code X-Server: NAME}, so a response tells which origin served it.
 */
final class Origins implements AutoCloseable {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([A-Za-z0-9_-]+)}}");

    private final Map<String, TestBackend> byName = new LinkedHashMap<>();

    /** The origin {@code name}, started on first use. */
    synchronized TestBackend get(String name) {
        return byName.computeIfAbsent(name, TestBackend::start);
    }

    /** {@code text} with every {@code {{NAME}}} replaced by the address of origin NAME. */
    String expand(String text) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, "127.0.0.1:" + get(m.group(1)).port());
        }
        m.appendTail(sb);
        return sb.toString();
    }

    @Override
    public synchronized void close() {
        byName.values().forEach(TestBackend::close);
        byName.clear();
    }
}
