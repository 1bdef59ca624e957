package dev.sluice.admin.stats;

import dev.sluice.routing.Backend;
import dev.sluice.routing.Frontend;
import dev.sluice.routing.Mode;
import dev.sluice.routing.RoutingTable;
import dev.sluice.routing.Server;
import dev.sluice.routing.ServerState;
import dev.sluice.routing.config.HealthCheckConfig;
import dev.sluice.routing.stats.Traffic;
import org.HdrHistogram.Histogram;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The rows of the stats, in HAProxy's order: each frontend, then each backend's servers followed by
 * the backend itself. Counters are summed from the event loops' stripes at the moment of reading.
 */
public final class StatsCollector {

    private StatsCollector() {
    }

    public static List<StatsRow> rows(RoutingTable table, Rates rates) {
        List<StatsRow> rows = new ArrayList<>();
        long now = System.currentTimeMillis();
        int iid = 0;
        for (Frontend f : table.frontends()) {
            rows.add(frontend(f, table.traffic().frontend(f.name()), rates, ++iid));
        }
        for (Backend b : table.backends().values().stream().sorted((x, y) -> x.name().compareTo(y.name())).toList()) {
            iid++;
            int sid = 0;
            for (Server s : b.servers()) {
                rows.add(server(b, s, rates, iid, ++sid, now));
            }
            rows.add(backend(b, table.traffic().backend(b.name()), rates, iid, now));
        }
        return rows;
    }

    private static StatsRow frontend(Frontend f, Traffic t, Rates rates, int iid) {
        StatsRow row = new StatsRow(StatsRow.Type.FRONTEND, f.name(), "FRONTEND", false);
        if (f.mode() == Mode.TCP) {
            row.tcp();
        }
        Rates.Sample r = rates.of(StatsRow.Type.FRONTEND, f.name(), "");
        long open = t.sum(Traffic.OPEN);
        row.set("scur", open).set("smax", Math.max(open, r.currentMax))
                .set("slim", f.maxconn() > 0 ? f.maxconn() : "")
                .set("stot", t.sum(Traffic.SESSIONS)).set("conn_tot", t.sum(Traffic.SESSIONS))
                .set("status", "OPEN").set("iid", iid).set("sid", 0)
                .set("rate", r.sessionRate).set("rate_max", r.sessionRateMax)
                .set("conn_rate", r.sessionRate).set("conn_rate_max", r.sessionRateMax)
                .set("req_rate", r.requestRate).set("req_rate_max", r.requestRateMax)
                .set("dreq", t.sum(Traffic.DENIED_REQUESTS)).set("ereq", t.sum(Traffic.REQUEST_ERRORS))
                .set("intercepted", t.sum(Traffic.INTERCEPTED))
                .set("ssl_failed_handshake", t.sum(Traffic.TLS_FAILED_HANDSHAKES))
                .set("mode", f.mode().name().toLowerCase(Locale.ROOT));
        return counters(row, t);
    }

    private static StatsRow backend(Backend b, Traffic t, Rates rates, int iid, long now) {
        StatsRow row = new StatsRow(StatsRow.Type.BACKEND, b.name(), "BACKEND", false);
        if (b.mode() == Mode.TCP) {
            row.tcp();
        }
        Rates.Sample r = rates.of(StatsRow.Type.BACKEND, b.name(), "");
        int active = 0;
        int backups = 0;
        int weight = 0;
        int backupWeight = 0;
        long current = 0;
        long selected = 0;
        long lastChange = 0;
        for (Server s : b.servers()) {
            current += s.state().active();
            selected += s.state().traffic().sum(Traffic.SELECTED);
            lastChange = Math.max(lastChange, s.state().lastChangeMillis());
            if (!s.isUsable()) {
                continue;
            }
            if (s.backup()) {
                backups++;
                backupWeight += s.weight();
            } else {
                active++;
                weight += s.weight();
            }
        }
        int effectiveWeight = active > 0 ? weight : backupWeight;
        row.set("qcur", 0).set("qmax", 0).set("scur", current).set("smax", Math.max(current, r.currentMax))
                .set("slim", "").set("stot", t.sum(Traffic.SESSIONS))
                .set("status", active + backups > 0 ? "UP" : "DOWN")
                .set("weight", effectiveWeight).set("uweight", effectiveWeight).set("act", active).set("bck", backups)
                .set("lastchg", lastChange == 0 ? "" : Math.max(0, (now - lastChange) / 1000))
                .set("iid", iid).set("sid", 0).set("lbtot", selected)
                .set("rate", r.sessionRate).set("rate_max", r.sessionRateMax)
                .set("dreq", t.sum(Traffic.DENIED_REQUESTS)).set("lastsess", -1)
                .set("mode", b.mode().name().toLowerCase(Locale.ROOT));
        latency(row, t);
        return server(counters(row, t), t);
    }

    private static StatsRow server(Backend b, Server s, Rates rates, int iid, int sid, long now) {
        ServerState st = s.state();
        HealthCheckConfig check = s.check();
        boolean checked = check != null && check.enabled();
        Traffic t = st.traffic();
        StatsRow row = new StatsRow(StatsRow.Type.SERVER, b.name(), s.name(), checked);
        if (b.mode() == Mode.TCP) {
            row.tcp();
        }
        Rates.Sample r = rates.of(StatsRow.Type.SERVER, b.name(), s.name());
        InetSocketAddress address = st.address();
        row.set("qcur", 0).set("qmax", 0).set("scur", st.active()).set("smax", st.maxActive())
                .set("slim", s.maxconn() > 0 ? s.maxconn() : "").set("stot", t.sum(Traffic.SESSIONS))
                .set("status", status(s, checked))
                .set("weight", s.weight()).set("uweight", s.weight())
                .set("act", s.backup() ? 0 : 1).set("bck", s.backup() ? 1 : 0)
                .set("lastchg", Math.max(0, (now - st.lastChangeMillis()) / 1000))
                .set("iid", iid).set("sid", sid).set("lbtot", t.sum(Traffic.SELECTED))
                .set("rate", r.sessionRate).set("rate_max", r.sessionRateMax).set("lastsess", -1)
                .set("addr", address != null ? address.getHostString() + ":" + address.getPort() : s.host() + ":" + s.port())
                .set("cookie", s.cookie() == null ? "" : s.cookie())
                .set("mode", b.mode().name().toLowerCase(Locale.ROOT));
        if (checked) {
            boolean up = st.isUp();
            String last = st.lastCheck() == null || st.lastCheck().isEmpty() ? null : st.lastCheck();
            row.set("check_status", last == null ? "INI" : up ? "L4OK" : "L4CON")
                    .set("last_chk", last == null ? "Initializing" : last)
                    .set("check_desc", last == null ? "Initializing" : last)
                    .set("check_rise", check.rise()).set("check_fall", check.fall())
                    .set("check_health", up ? check.rise() + check.fall() - 1 : 0);
        }
        latency(row, t);
        return server(counters(row, t), t);
    }

    /** HAProxy's words for a server's state. */
    static String status(Server s, boolean checked) {
        ServerState st = s.state();
        if (s.disabled() || st.admin() == ServerState.Admin.MAINT) {
            return "MAINT";
        }
        if (st.dnsFailure() != null || (st.isSlot() && st.address() == null)) {
            return "MAINT (resolution)";
        }
        if (st.admin() == ServerState.Admin.DRAIN) {
            return st.isUp() ? "DRAIN" : "DOWN";
        }
        if (!st.isUp()) {
            return "DOWN";
        }
        return checked ? "UP" : "no check";
    }

    /** What frontends, backends and servers all count. */
    private static StatsRow counters(StatsRow row, Traffic t) {
        return row.set("bin", t.sum(Traffic.BYTES_IN)).set("bout", t.sum(Traffic.BYTES_OUT))
                .set("hrsp_1xx", t.sum(Traffic.RESPONSES_1XX)).set("hrsp_2xx", t.sum(Traffic.RESPONSES_2XX))
                .set("hrsp_3xx", t.sum(Traffic.RESPONSES_3XX)).set("hrsp_4xx", t.sum(Traffic.RESPONSES_4XX))
                .set("hrsp_5xx", t.sum(Traffic.RESPONSES_5XX)).set("hrsp_other", t.sum(Traffic.RESPONSES_OTHER))
                .set("req_tot", t.sum(Traffic.REQUESTS));
    }

    /** What backends and servers count about their servers. */
    private static StatsRow server(StatsRow row, Traffic t) {
        return row.set("econ", t.sum(Traffic.CONNECT_ERRORS)).set("eresp", t.sum(Traffic.RESPONSE_ERRORS))
                .set("wretr", t.sum(Traffic.RETRIES)).set("wredis", t.sum(Traffic.REDISPATCHES))
                .set("cli_abrt", t.sum(Traffic.CLIENT_ABORTS)).set("srv_abrt", t.sum(Traffic.SERVER_ABORTS))
                .set("connect", t.sum(Traffic.CONNECTS)).set("reuse", t.sum(Traffic.REUSES));
    }

    /** HAProxy's average times (ms) from the recent response times. */
    private static void latency(StatsRow row, Traffic t) {
        Histogram h = t.latency().recent();
        if (h.getTotalCount() == 0) {
            return;
        }
        long meanMs = Math.round(h.getMean() / 1000.0);
        row.set("rtime", meanMs).set("ttime", meanMs)
                .set("rtime_max", h.getMaxValue() / 1000).set("ttime_max", h.getMaxValue() / 1000);
    }
}
