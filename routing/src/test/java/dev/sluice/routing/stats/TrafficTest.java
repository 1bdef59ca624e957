package dev.sluice.routing.stats;

import static org.assertj.core.api.Assertions.assertThat;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

class TrafficTest {

    @Test
    void eachLoopWritesItsStripe_andTheSumIsExact() throws Exception {
        Traffic traffic = new Traffic(4);
        List<Thread> threads = new ArrayList<>();
        for (int loop = 0; loop < 4; loop++) {
            int stripe = loop;
            threads.add(new Thread(() -> {
                for (int i = 0; i < 100_000; i++) {
                    traffic.increment(stripe, Traffic.REQUESTS);
                    traffic.add(stripe, Traffic.BYTES_OUT, 10);
                }
            }));
        }
        // threads that are not event loops share the last stripe: still exact
        for (int t = 0; t < 3; t++) {
            threads.add(new Thread(() -> {
                for (int i = 0; i < 50_000; i++) {
                    traffic.increment(-1, Traffic.REQUESTS);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertThat(traffic.sum(Traffic.REQUESTS)).isEqualTo(4 * 100_000 + 3 * 50_000);
        assertThat(traffic.sum(Traffic.BYTES_OUT)).isEqualTo(4 * 100_000 * 10L);
        assertThat(traffic.sum(Traffic.RESPONSES_2XX)).isZero();
    }

    @Test
    void responsesAreCountedByClass() {
        Traffic traffic = new Traffic(1);
        for (int status : new int[] {101, 200, 204, 302, 404, 503, 504, 0, 700}) {
            traffic.response(0, status);
        }
        assertThat(traffic.sum(Traffic.RESPONSES_1XX)).isEqualTo(1);
        assertThat(traffic.sum(Traffic.RESPONSES_2XX)).isEqualTo(2);
        assertThat(traffic.sum(Traffic.RESPONSES_3XX)).isEqualTo(1);
        assertThat(traffic.sum(Traffic.RESPONSES_4XX)).isEqualTo(1);
        assertThat(traffic.sum(Traffic.RESPONSES_5XX)).isEqualTo(2);
        assertThat(traffic.sum(Traffic.RESPONSES_OTHER)).isEqualTo(2);
    }

    @Test
    void latencyPercentiles_fromEveryStripe_andRecentForgetsOldPeriods() {
        Latency latency = new Traffic(2).latency();
        for (int i = 1; i <= 1000; i++) {
            latency.record(i % 2, i * 10L); // 10 µs .. 10 ms
        }
        latency.record(-1, 2_000_000_000L); // beyond 10 minutes: counted as 10 minutes
        Histogram total = latency.total();
        assertThat(total.getTotalCount()).isEqualTo(1001);
        assertThat(total.getValueAtPercentile(50)).isBetween(4_900L, 5_100L);
        assertThat(total.getMaxValue()).isBetween(590_000_000L, 610_000_000L);

        latency.roll();
        latency.record(0, 100);
        assertThat(latency.recent().getTotalCount()).as("the period before the last roll still counts").isEqualTo(1002);
        latency.roll();
        Histogram recent = latency.recent();
        assertThat(recent.getTotalCount()).as("only what came after the first roll").isEqualTo(1);
        assertThat(recent.getValueAtPercentile(99)).isBetween(99L, 101L);
        assertThat(latency.total().getTotalCount()).isEqualTo(1002);
    }

    @Test
    void settling_drainsOnlyOnceALoopHasRecorded_aBoundedNumberOfTimes_andChangesNothingRead() {
        Latency latency = new Traffic(2).latency();
        for (int i = 0; i < 2 * Latency.SETTLING_DRAINS; i++) {
            latency.settle(); // a server without traffic yet: its settling is not used up
        }
        assertThat(latency.settlesLeft()).isEqualTo(Latency.SETTLING_DRAINS);

        long recorded = 0;
        for (int second = 0; second < Latency.SETTLING_DRAINS + 10; second++) {
            for (int i = 1; i <= 100; i++) {
                latency.record(i % 2, i * 100L); // 100 µs .. 10 ms
                recorded++;
            }
            latency.settle();
            if (second == 5 || second == 20) {
                latency.roll(); // recent(): since the roll before the last one
            }
        }
        assertThat(latency.settlesLeft()).isZero();
        assertThat(latency.total().getTotalCount()).isEqualTo(recorded);
        Histogram recent = latency.recent();
        assertThat(recent.getTotalCount()).as("what came after the first roll, settles or not").isEqualTo(recorded - 600);
        assertThat(recent.getValueAtPercentile(50)).isBetween(4_900L, 5_100L);
    }
}
