package dev.sluice.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.routing.Server;
import dev.sluice.routing.StateEvent;
import dev.sluice.routing.StateEvents;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ActiveChecksTest {

    /** inter 100ms x fall 2, plus the first check's jitter (< inter), plus the timeout, with room for a slow machine. */
    private static final Duration DOWN_BOUND = Duration.ofSeconds(3);

    @Test
    void tcpCheck_killedBackendGoesDownAndTakesNoRequests_thenComesBackUpAfterRise() throws Exception {
        try (Origin a = Origin.start("a"); Origin b = Origin.start("b");
             Harness h = new Harness(Harness.config(
                     " server tcp-a 127.0.0.1:" + a.port() + " check inter 100 fall 2 rise 2\n"
                     + " server tcp-b 127.0.0.1:" + b.port() + " check inter 100 fall 2 rise 2\n"))) {
            Server sa = h.server("tcp-a");
            await().atMost(DOWN_BOUND).until(() -> sa.state().lastCheck().equals("Layer4 check passed"));
            assertThat(sa.state().isUp()).isTrue();

            a.stop();
            await().atMost(DOWN_BOUND).until(() -> !sa.state().isUp());
            assertThat(sa.state().lastCheck()).isEqualTo("Layer4 connection refused");
            StateEvent down = last(StateEvents.of("be", "tcp-a"));
            assertThat(down.from()).isEqualTo("UP");
            assertThat(down.to()).isEqualTo("DOWN");
            assertThat(down.reason()).isEqualTo("Layer4 connection refused");

            int before = a.requests.get();
            for (int i = 0; i < 20; i++) {
                var r = h.get("/x");
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).isEqualTo("server=b");
            }
            assertThat(a.requests.get()).isEqualTo(before);

            a.restart();
            await().atMost(DOWN_BOUND).until(() -> sa.state().isUp());
            StateEvent up = last(StateEvents.of("be", "tcp-a"));
            assertThat(up.from()).isEqualTo("DOWN");
            assertThat(up.to()).isEqualTo("UP");
            assertThat(up.reason()).isEqualTo("Layer4 check passed");
            await().atMost(DOWN_BOUND).until(() -> h.get("/x").body().equals("server=a"));
        }
    }

    @Test
    void httpCheck_500OnTheCheckUriMarksDown_and200BringsItBack() throws Exception {
        try (Origin a = Origin.start("a");
             Harness h = new Harness(Harness.config(" option httpchk GET /check\n"
                     + " server http-a 127.0.0.1:" + a.port() + " check inter 100 fall 2 rise 2\n"))) {
            Server sa = h.server("http-a");
            await().atMost(DOWN_BOUND).until(() -> sa.state().lastCheck().equals("Layer7 check passed: 200 OK"));
            a.checkStatus = 500;
            await().atMost(DOWN_BOUND).until(() -> !sa.state().isUp());
            assertThat(last(StateEvents.of("be", "http-a")).reason()).isEqualTo("Layer7 wrong status 500");
            assertThat(h.get("/x").statusCode()).isEqualTo(503);

            a.checkStatus = 200;
            await().atMost(DOWN_BOUND).until(() -> sa.state().isUp());
            assertThat(last(StateEvents.of("be", "http-a")).reason()).isEqualTo("Layer7 check passed: 200 OK");
        }
    }

    @Test
    void expectString_passesOnlyWhenTheBodyHasIt() throws Exception {
        try (Origin a = Origin.start("a");
             Harness h = new Harness(Harness.config(" option httpchk GET /check\n http-check expect string OK\n"
                     + " server str-a 127.0.0.1:" + a.port() + " check inter 100 fall 1 rise 1\n"))) {
            Server sa = h.server("str-a");
            a.checkBody = "status: OK";
            await().atMost(DOWN_BOUND).until(() -> sa.state().lastCheck().startsWith("Layer7 check passed"));
            assertThat(sa.state().isUp()).isTrue();
            a.checkBody = "status: degraded";
            await().atMost(DOWN_BOUND).until(() -> !sa.state().isUp());
            assertThat(last(StateEvents.of("be", "str-a")).reason()).isEqualTo("Layer7 wrong content: did not find 'OK'");
        }
    }

    @Test
    void negatedRstatus_failsOnlyOn5xx() throws Exception {
        try (Origin a = Origin.start("a");
             Harness h = new Harness(Harness.config(" option httpchk GET /check\n http-check expect ! rstatus ^5\n"
                     + " server neg-a 127.0.0.1:" + a.port() + " check inter 100 fall 1 rise 1\n"))) {
            Server sa = h.server("neg-a");
            a.checkStatus = 404;
            await().atMost(DOWN_BOUND).until(() -> sa.state().lastCheck().equals("Layer7 check passed: 404 Not Found"));
            assertThat(sa.state().isUp()).isTrue();
            a.checkStatus = 503;
            await().atMost(DOWN_BOUND).until(() -> !sa.state().isUp());
            assertThat(last(StateEvents.of("be", "neg-a")).reason()).isEqualTo("Layer7 wrong status 503");
        }
    }

    @Test
    void checkTimeout_isLayer7TimeoutWhenTheServerNeverAnswers() throws Exception {
        try (var silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
             Harness h = new Harness(Harness.config(" option httpchk GET /check\n timeout check 200ms\n"
                     + " server slow-a 127.0.0.1:" + silent.getLocalPort() + " check inter 100 fall 1 rise 1\n"))) {
            Server sa = h.server("slow-a");
            // the kernel accepts the connection (backlog), nobody ever answers
            await().atMost(DOWN_BOUND).until(() -> !sa.state().isUp());
            assertThat(last(StateEvents.of("be", "slow-a")).reason()).isEqualTo("Layer7 timeout");
        }
    }

    @Test
    void backup_takesOverWhenEveryPrimaryIsDown() throws Exception {
        try (Origin a = Origin.start("a"); Origin b = Origin.start("b"); Origin c = Origin.start("c");
             Harness h = new Harness(Harness.config(
                     " server bk-a 127.0.0.1:" + a.port() + " check inter 100 fall 1\n"
                     + " server bk-b 127.0.0.1:" + b.port() + " check inter 100 fall 1\n"
                     + " server bk-c 127.0.0.1:" + c.port() + " backup\n"))) {
            assertThat(h.get("/x").body()).isIn("server=a", "server=b");
            a.stop();
            b.stop();
            await().atMost(DOWN_BOUND).until(() -> !h.server("bk-a").state().isUp() && !h.server("bk-b").state().isUp());
            for (int i = 0; i < 5; i++) {
                assertThat(h.get("/x").body()).isEqualTo("server=c");
            }
        }
    }

    @Test
    void slowstart_aReturningServerGetsFarLessThanItsShareAtFirst() throws Exception {
        try (Origin a = Origin.start("a"); Origin b = Origin.start("b");
             Harness h = new Harness(Harness.config(
                     " server ss-a 127.0.0.1:" + a.port() + " check inter 100 fall 1 rise 1 slowstart 60s\n"
                     + " server ss-b 127.0.0.1:" + b.port() + " check inter 100 fall 1 rise 1\n"))) {
            Server sa = h.server("ss-a");
            // UP since start: no ramp, an even share
            for (int i = 0; i < 40; i++) {
                h.get("/x");
            }
            assertThat(a.requests.get()).isBetween(15, 25);
            a.stop();
            await().atMost(DOWN_BOUND).until(() -> !sa.state().isUp());
            a.restart();
            await().atMost(DOWN_BOUND).until(() -> sa.state().isUp());
            int before = a.requests.get();
            for (int i = 0; i < 200; i++) {
                assertThat(h.get("/x").statusCode()).isEqualTo(200);
            }
            // a 60 s ramp, a few seconds in: a few percent of the share at most (even share: 100)
            assertThat(a.requests.get() - before).isLessThan(40);
        }
    }

    @Test
    void update_keepsCheckersAcrossTableSwapsAndStopsRemovedOnes() throws Exception {
        try (Origin a = Origin.start("a");
             Harness h = new Harness(Harness.config(
                     " server up-a 127.0.0.1:" + a.port() + " check inter 100\n"
                     + " server up-b 127.0.0.1:" + a.port() + " check inter 100\n"
                     + " server up-c 127.0.0.1:" + a.port() + "\n"))) {
            assertThat(h.checks.checkedServers()).isEqualTo(2);
            var next = dev.sluice.routing.RoutingCompiler.compile(dev.sluice.routing.config.ConfigParser.parse(
                    Harness.config(" server up-a 127.0.0.1:" + a.port() + " check inter 100\n"), "t.cfg", null)
                    .config(), h.table);
            assertThat(next.backend("be").servers().get(0).state()).isSameAs(h.server("up-a").state());
            h.checks.update(next);
            assertThat(h.checks.checkedServers()).isEqualTo(1);
        }
    }

    private static StateEvent last(List<StateEvent> events) {
        assertThat(events).isNotEmpty();
        return events.get(events.size() - 1);
    }
}
