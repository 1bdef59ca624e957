package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.app.SluiceProcess.Answer;
import dev.sluice.proxy.RawHttpClient.Response;
import dev.sluice.proxy.TestBackend;
import dev.sluice.proxy.TestDnsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Docker Flow Proxy's {@code discoveryType=DNS} and {@code sessionType=sticky-server} through the
 * whole chain, as on a Swarm: a real Sluice process whose RESOLVERS is a test DNS server answering
 * {@code tasks.SERVICE} with one address per task; tasks are real backends on 127.0.0.2, .3, .4
 * (the same port, as Swarm tasks are). Tasks come and go in DNS and die without DNS knowing; no
 * client request fails.
 */
class SwarmTasksAcceptanceTest {

    @RegisterExtension
    final SluiceProcesses sluices = new SluiceProcesses();

    @TempDir
    Path stateDir;

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    private <T extends AutoCloseable> T closeLater(T c) {
        closing.add(c);
        return c;
    }

    @Test
    void tasksFollowDns_deadTasksAreChecked_andStickyClientsStayOnTheirTask() throws Exception {
        TestDnsServer dns = closeLater(TestDnsServer.start());
        TestBackend task2 = closeLater(TestBackend.start("task2", "127.0.0.2", 0));
        int port = task2.port();
        TestBackend task3 = closeLater(TestBackend.start("task3", "127.0.0.3", port));
        dns.answer("tasks.shop", "127.0.0.2", "127.0.0.3");
        dns.answer("tasks.cart", "127.0.0.2", "127.0.0.3");

        SluiceProcess sluice = sluices.start("swarm-tasks",
                Map.of("RESOLVERS", "nameserver dns " + dns.address().getHostString() + ":" + dns.address().getPort()),
                stateDir);
        Answer shop = sluice.get("/v1/docker-flow-proxy/reconfigure?serviceName=shop&servicePath=/shop&port=" + port
                + "&discoveryType=DNS&replicas=4");
        assertThat(shop.status()).as("%s", shop).isEqualTo(200);

        await("both tasks serve /shop").atMost(Duration.ofSeconds(20))
                .until(() -> servedBy(sluice, "/shop", 8).containsAll(Set.of("task2", "task3")));

        // a third task starts and DNS lists it; the first one leaves DNS: no request may fail meanwhile
        TestBackend task4 = closeLater(TestBackend.start("task4", "127.0.0.4", port));
        dns.answer("tasks.shop", "127.0.0.3", "127.0.0.4");
        List<String> failures = new ArrayList<>();
        int task2Before = task2.requests();
        boolean switched = false;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (int i = 0; i < 100_000 && System.nanoTime() < deadline && !switched; i++) {
            Response r = Http.get(sluice.proxyPort(), "/shop/" + i);
            if (r.status() != 200) {
                failures.add(i + ": " + r.statusLine());
            }
            switched = "task4".equals(r.header("x-server"));
        }
        assertThat(switched).as("task4 got traffic once DNS listed it").isTrue();
        assertThat(failures).as("requests that failed while tasks changed").isEmpty();
        int task2After = task2.requests();
        assertThat(servedBy(sluice, "/shop", 12)).containsOnly("task3", "task4");
        assertThat(task2.requests()).as("no request for the task DNS no longer lists").isEqualTo(task2After);
        assertThat(task2After).isGreaterThanOrEqualTo(task2Before);

        // a task dies while DNS still lists it: retries hide it, the check marks it DOWN
        task3.close();
        List<String> duringDeath = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            long t0 = System.nanoTime();
            try {
                Response r = Http.get(sluice.proxyPort(), "/shop/d" + i);
                if (r.status() != 200) {
                    duringDeath.add(i + ": " + r.statusLine());
                }
            } catch (java.io.IOException e) {
                duringDeath.add(i + ": " + e + " after " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            }
        }
        assertThat(duringDeath).as("requests that failed while a task died").isEmpty();
        await("the health check marks the dead task DOWN").atMost(Duration.ofSeconds(30)).until(() -> {
            String json = sluice.get("/v1/docker-flow-proxy/config?type=json").body();
            return json.contains("\"State\":\"DOWN\"") && json.contains("Layer4 connection refused");
        });

        // sticky-server: a client stays on its task
        Answer cart = sluice.get("/v1/docker-flow-proxy/reconfigure?serviceName=cart&servicePath=/cart&port=" + port
                + "&sessionType=sticky-server&replicas=4");
        assertThat(cart.status()).as("%s", cart).isEqualTo(200);
        await("cart's tasks are known").atMost(Duration.ofSeconds(20))
                .until(() -> Http.get(sluice.proxyPort(), "/cart").status() == 200);
        Response first = Http.get(sluice.proxyPort(), "/cart");
        String cookie = first.header("set-cookie");
        assertThat(cookie).startsWith("cart=");
        String task = first.header("x-server");
        String value = cookie.substring(0, cookie.indexOf(';'));
        for (int i = 0; i < 6; i++) {
            Response again = Http.get(sluice.proxyPort(), "/cart/" + i, "Cookie: " + value);
            assertThat(again.header("x-server")).isEqualTo(task);
            assertThat(again.header("set-cookie")).as("no new cookie for a client already on its task").isNull();
        }
    }

    private static Set<String> servedBy(SluiceProcess sluice, String path, int n) throws Exception {
        Set<String> servers = new HashSet<>();
        for (int i = 0; i < n; i++) {
            Response r = Http.get(sluice.proxyPort(), path);
            if (r.header("x-server") != null) {
                servers.add(r.header("x-server"));
            }
        }
        return servers;
    }
}
