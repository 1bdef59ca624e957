package dev.sluice.admin.stats;

import static dev.sluice.admin.stats.StatsPage.esc;

import dev.sluice.discovery.Discovery;
import dev.sluice.discovery.peers.PeerStatus;

import java.time.Instant;
import java.util.List;

/** The stats page's table of peer replicas: each one's generation and hash, so drift shows. */
public final class ReplicasSection {

    private ReplicasSection() {
    }

    /** {@code ""} without discovery; else the section, from the last periodic survey; {@code hash}: this replica's services hash. */
    public static String render(Discovery discovery, String hash) {
        if (discovery == null) {
            return "";
        }
        List<PeerStatus> peers = discovery.replicas().lastSurvey();
        StringBuilder h = new StringBuilder(512 + peers.size() * 200);
        h.append("<section><h2>Replicas <span>").append(esc(discovery.replicas().dnsName()))
                .append("</span> <small>discovery: ").append(esc(discovery.role())).append("</small></h2>");
        if (peers.isEmpty()) {
            h.append("<p id=\"replicas\">No peer replicas found (").append(esc(discovery.replicas().dnsName()))
                    .append(" does not resolve, or no survey yet).</p></section>\n");
            return h.toString();
        }
        h.append("<div class=\"scroll\"><table id=\"replicas\"><thead><tr><th>Replica</th><th>Status</th>")
                .append("<th>Generation</th><th>Services hash</th><th>Discovery</th></tr></thead><tbody>");
        for (PeerStatus p : peers) {
            boolean same = p.reachable() && p.hash().equals(hash);
            String cls = !p.reachable() ? "down" : same ? "up" : "drain";
            String status = !p.reachable() ? "no answer: " + p.error() : same ? "same services" : "DIFFERENT services";
            h.append("<tr class=\"").append(cls).append("\"><td>").append(esc(p.address())).append(p.self() ? " (this)" : "")
                    .append("</td><td>").append(esc(status)).append("</td><td>").append(p.generation())
                    .append("</td><td><code>").append(esc(p.hash())).append("</code></td><td>").append(esc(p.discovery()))
                    .append("</td></tr>");
        }
        h.append("</tbody></table></div><p class=\"legend\">Surveyed ")
                .append(esc(Instant.ofEpochMilli(discovery.replicas().lastSurveyMillis()).toString()))
                .append(". Drift is repaired by <code>/v1/proxy/peers?repair=true</code> on a replica whose routing is right.</p></section>\n");
        return h.toString();
    }
}
