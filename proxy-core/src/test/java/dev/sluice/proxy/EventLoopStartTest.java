package dev.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every event loop's thread is started by the thread that starts the proxy, not later by the
 * first thread that hands the loop work (the admin writer, for a new bind): a thread takes the
 * kernel's nice value of the thread that started it, and the control plane may run lowered.
 */
class EventLoopStartTest {

    private static Set<String> proxyThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("sluice-proxy-")).collect(Collectors.toSet());
    }

    @Test
    void everyLoopRuns_assoonAsTheProxyStarts_beforeAnyConnection() throws Exception {
        Set<String> before = proxyThreads();
        TestBackend backend = TestBackend.start("b1");
        ProxyServer proxy = ProxyServer.start(Tables.builder().server(backend.port()).build(), 4);
        try {
            Set<String> started = proxyThreads();
            started.removeAll(before);
            // one frontend, one bind: without starting them, only the bind's loop would run now
            assertThat(started).hasSize(4);
            assertThat(proxy.ports(Tables.FRONTEND)).hasSize(1);
        } finally {
            proxy.close();
            backend.close();
        }
    }
}
