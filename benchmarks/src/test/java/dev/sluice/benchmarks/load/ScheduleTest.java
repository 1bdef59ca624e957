package dev.sluice.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ScheduleTest {

    private static final long SECOND = 1_000_000_000;

    @Test
    void withoutRamp_requestsAreEvenlySpacedAtTheRate() {
        Schedule schedule = new Schedule(5 * SECOND, 1000, 0);

        assertThat(schedule.due(0)).isEqualTo(5 * SECOND);
        assertThat(schedule.due(1)).isEqualTo(5 * SECOND + 1_000_000);
        assertThat(schedule.due(1000)).isEqualTo(6 * SECOND);
    }

    @Test
    void ramp_risesToTheRateAndThenKeepsIt() {
        // 1000 req/s after a 2 s ramp: 1000 requests due during the ramp (its average rate is half).
        Schedule schedule = new Schedule(0, 1000, 2 * SECOND);

        assertThat(schedule.due(0)).isZero();
        assertThat(schedule.due(250)).isEqualTo(SECOND);          // a quarter of the ramp's requests in its first half
        assertThat(schedule.due(1000)).isEqualTo(2 * SECOND);     // the ramp's end
        assertThat(schedule.due(1001) - schedule.due(1000)).isEqualTo(1_000_000);
        assertThat(schedule.due(3000)).isEqualTo(4 * SECOND);
        for (long k = 1; k < 3000; k++) {
            assertThat(schedule.due(k)).isGreaterThanOrEqualTo(schedule.due(k - 1));
        }
    }

    @Test
    void rejectsNoRate() {
        assertThatThrownBy(() -> new Schedule(0, 0, 0)).hasMessage("rate: 0.0 (expected: > 0)");
    }
}
