package dev.sluice.routing.balance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.routing.Balancer;
import dev.sluice.routing.Server;
import dev.sluice.routing.ServerState;
import dev.sluice.routing.TestRequest;
import dev.sluice.routing.config.HealthCheckConfig;
import dev.sluice.routing.config.HealthCheckConfig.Observe;
import dev.sluice.routing.config.HealthCheckConfig.OnError;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SlowstartAndPassiveTest {

    private static Server server(String name, HealthCheckConfig check) {
        return new Server("b", name, "127.0.0.1", 8000, 1, false, false, 0, new ServerState("b", name), null, check);
    }

    private static HealthCheckConfig slowstart(long ms) {
        return new HealthCheckConfig(true, 2000, 0, 0, 2, 3, 0, null, ms);
    }

    @Test
    void slowstart_aServerBackUpJustNowGetsAlmostNothing_butStillTakesItWhenAlone() {
        Server a = server("a", slowstart(600_000));
        Server b = server("b", HealthCheckConfig.DEFAULT);
        List<Server> both = List.of(a, b);
        Balancer rr = Balancer.roundRobin();
        a.state().markDown("test");
        a.state().markUp("test");
        int toA = 0;
        for (int i = 0; i < 1000; i++) {
            if (rr.pick(both, TestRequest.get("/"), null) == a) {
                toA++;
            }
        }
        assertThat(toA).isLessThan(20);
        b.state().markDown("test");
        assertThat(rr.pick(both, TestRequest.get("/"), null)).isSameAs(a);
    }

    @Test
    void slowstart_doesNotRampServersUpSinceStart() {
        Server a = server("a", slowstart(600_000));
        Server b = server("b", HealthCheckConfig.DEFAULT);
        Balancer rr = Balancer.roundRobin();
        int toA = 0;
        for (int i = 0; i < 100; i++) {
            if (rr.pick(List.of(a, b), TestRequest.get("/"), null) == a) {
                toA++;
            }
        }
        assertThat(toA).isEqualTo(50);
    }

    @Test
    void observedErrors_reachTheLimitOnlyWhenConsecutive_andRestartAfterIt() {
        HealthCheckConfig c = new HealthCheckConfig(true, 2000, 0, 0, 2, 3, 0, null, 0, Observe.LAYER7, 3, OnError.FAIL_CHECK);
        Server s = server("s", c);
        AtomicInteger hits = new AtomicInteger();
        s.state().errorLimitListener((n, reason) -> hits.incrementAndGet());
        s.observeStatus(500);
        s.observeStatus(503);
        s.observeStatus(200);
        s.observeStatus(502);
        s.observeStatus(501);
        s.observeStatus(505);
        assertThat(hits).hasValue(0);
        s.observeStatus(500);
        s.observeStatus(500);
        s.observeResponseFailure("Layer7 timeout");
        assertThat(hits).hasValue(1);
        assertThat(s.state().observedErrors()).isZero();
        s.observeConnected();
        assertThat(s.state().observedErrors()).isZero();
    }

    @Test
    void observeNone_countsNothing() {
        Server s = server("s", HealthCheckConfig.DEFAULT);
        s.observeConnectFailure("refused");
        s.observeStatus(500);
        assertThat(s.state().observedErrors()).isZero();
    }
}
