package dev.sluice.admin.stats;

import dev.sluice.routing.Backend;
import dev.sluice.routing.Frontend;
import dev.sluice.routing.RoutingTable;
import dev.sluice.routing.Server;
import dev.sluice.routing.stats.Traffic;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-second rates and maxima, which counters alone cannot give: sampled once a second (by the
 * admin API's timer, never by the data plane) from the totals, as HAProxy's {@code rate},
 * {@code req_rate}, {@code conn_rate} and their {@code _max}, and the most sessions seen at once
 * ({@code smax} of frontends and backends). Every minute the response-time histograms start a new
 * period, so the page's percentiles are recent; in the seconds between, each settles
 * ({@link dev.sluice.routing.stats.Latency#settle}: the event loop's recording code is compiled
 * once, early, not again a minute in).
 */
public final class Rates {

    /** What is kept per frontend, backend and server. */
    static final class Sample {
        long sessions = -1;
        long requests = -1;
        volatile long sessionRate;
        volatile long sessionRateMax;
        volatile long requestRate;
        volatile long requestRateMax;
        volatile long currentMax;

        void update(long sessionsNow, long requestsNow, long current) {
            if (sessions >= 0) {
                sessionRate = Math.max(0, sessionsNow - sessions);
                requestRate = Math.max(0, requestsNow - requests);
                sessionRateMax = Math.max(sessionRateMax, sessionRate);
                requestRateMax = Math.max(requestRateMax, requestRate);
            }
            sessions = sessionsNow;
            requests = requestsNow;
            currentMax = Math.max(currentMax, current);
        }
    }

    private static final Sample NONE = new Sample();

    private final Map<String, Sample> samples = new ConcurrentHashMap<>();
    private final Set<String> seen = new HashSet<>();
    private long ticks;

    /** Takes one sample of every frontend, backend and server of {@code table}; call once a second. */
    public synchronized void tick(RoutingTable table) {
        seen.clear();
        for (Frontend f : table.frontends()) {
            Traffic t = table.traffic().frontend(f.name());
            sample(key(StatsRow.Type.FRONTEND, f.name(), "")).update(t.sum(Traffic.SESSIONS),
                    t.sum(Traffic.REQUESTS), t.sum(Traffic.OPEN));
        }
        boolean roll = ++ticks % 60 == 0;
        for (Backend b : table.backends().values()) {
            Traffic t = table.traffic().backend(b.name());
            long current = 0;
            for (Server s : b.servers()) {
                Traffic st = s.state().traffic();
                current += s.state().active();
                sample(key(StatsRow.Type.SERVER, b.name(), s.name())).update(st.sum(Traffic.SESSIONS),
                        st.sum(Traffic.REQUESTS), s.state().active());
                if (roll) {
                    st.latency().roll();
                } else {
                    st.latency().settle();
                }
            }
            sample(key(StatsRow.Type.BACKEND, b.name(), "")).update(t.sum(Traffic.SESSIONS),
                    t.sum(Traffic.REQUESTS), current);
            if (roll) {
                t.latency().roll();
            } else {
                t.latency().settle();
            }
        }
        samples.keySet().retainAll(seen); // names that went away
    }

    Sample of(StatsRow.Type type, String proxy, String name) {
        return samples.getOrDefault(key(type, proxy, name), NONE);
    }

    private Sample sample(String key) {
        seen.add(key);
        return samples.computeIfAbsent(key, k -> new Sample());
    }

    private static String key(StatsRow.Type type, String proxy, String name) {
        return type.letter() + proxy + '\u0000' + name;
    }
}
