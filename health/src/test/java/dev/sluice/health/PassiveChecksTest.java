package dev.sluice.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.routing.Server;
import dev.sluice.routing.StateEvent;
import dev.sluice.routing.StateEvents;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PassiveChecksTest {

    @Test
    void observeLayer7_markDownAfterErrorLimitConsecutive5xx_aSuccessResetsTheCount() throws Exception {
        try (Origin a = Origin.start("a");
             Harness h = new Harness(Harness.config(" server pm-a 127.0.0.1:" + a.port()
                     + " check inter 30s observe layer7 error-limit 3 on-error mark-down\n"))) {
            Server sa = h.server("pm-a");
            a.status = 500;
            assertThat(h.get("/x").statusCode()).isEqualTo(500);
            assertThat(h.get("/x").statusCode()).isEqualTo(500);
            a.status = 404;
            assertThat(h.get("/x").statusCode()).isEqualTo(404);
            assertThat(sa.state().observedErrors()).isZero();
            a.status = 500;
            assertThat(h.get("/x").statusCode()).isEqualTo(500);
            assertThat(h.get("/x").statusCode()).isEqualTo(500);
            assertThat(sa.state().isUp()).isTrue();
            assertThat(h.get("/x").statusCode()).isEqualTo(500);
            assertThat(sa.state().isUp()).isFalse();
            List<StateEvent> events = StateEvents.of("be", "pm-a");
            assertThat(events.get(events.size() - 1).reason())
                    .isEqualTo("Passive: 3 consecutive errors (last: Layer7 status 500)");
            assertThat(h.get("/x").statusCode()).isEqualTo(503);
        }
    }

    @Test
    void observeLayer7_501And505AreNotErrors() throws Exception {
        try (Origin a = Origin.start("a");
             Harness h = new Harness(Harness.config(" server pn-a 127.0.0.1:" + a.port()
                     + " check inter 30s observe layer7 error-limit 2 on-error mark-down\n"))) {
            a.status = 501;
            for (int i = 0; i < 4; i++) {
                h.get("/x");
            }
            assertThat(h.server("pn-a").state().isUp()).isTrue();
        }
    }

    @Test
    void failCheck_countsAsFailedChecks_untilFallMarksDown() throws Exception {
        try (Origin a = Origin.start("a");
             Harness h = new Harness(Harness.config(" server pf-a 127.0.0.1:" + a.port()
                     + " check inter 30s fastinter 30s rise 1 fall 2 observe layer7 error-limit 1\n"))) {
            Server sa = h.server("pf-a");
            a.status = 500;
            // a new checker is "UP, going down" (health = rise): the first failed check marks it DOWN
            h.get("/x");
            await().atMost(Duration.ofSeconds(3)).until(() -> !sa.state().isUp());
            List<StateEvent> events = StateEvents.of("be", "pf-a");
            assertThat(events.get(events.size() - 1).reason()).startsWith("Passive: 1 consecutive errors");
        }
    }

    @Test
    void observeLayer4_connectFailuresCount() throws Exception {
        try (Origin a = Origin.start("a"); Origin b = Origin.start("b");
             Harness h = new Harness(Harness.config(" retries 0\n"
                     + " server p4-a 127.0.0.1:" + a.port() + " check inter 30s observe layer4 error-limit 2 on-error mark-down\n"
                     + " server p4-b 127.0.0.1:" + b.port() + "\n"))) {
            Server sa = h.server("p4-a");
            a.stop();
            for (int i = 0; i < 8 && sa.state().isUp(); i++) {
                h.get("/x");
            }
            assertThat(sa.state().isUp()).isFalse();
            List<StateEvent> events = StateEvents.of("be", "p4-a");
            assertThat(events.get(events.size() - 1).reason()).startsWith("Passive: 2 consecutive errors (last: Layer4 connection refused");
        }
    }
}
