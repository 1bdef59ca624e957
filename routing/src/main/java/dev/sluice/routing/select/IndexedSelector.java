package dev.sluice.routing.select;

import dev.sluice.routing.Backend;
import dev.sluice.routing.Frontend;
import dev.sluice.routing.RequestView;
import dev.sluice.routing.acl.Ascii;
import dev.sluice.routing.acl.Fetch;
import dev.sluice.routing.acl.IndexHint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Route lookup with HAProxy's first-match order, without testing every rule: rules whose
 * condition can only hold for some literal paths or hosts sit in hash maps and prefix tries;
 * a lookup gathers the candidate rules from those plus the rules that cannot be indexed and
 * evaluates them in ascending rule order. Keys are ASCII-lowercased on both sides, so the
 * candidates are always a superset of the rules that hold.
 */
public final class IndexedSelector implements Frontend.BackendSelector {

    private final SelectorRule[] rules;
    private final int[] unindexed;
    private final Map<String, int[]> pathExact;
    private final Map<String, int[]> hostExact;
    private final Map<String, int[]> hostDomain;
    private final PrefixTrie pathPrefix = new PrefixTrie();
    private final PrefixTrie hostPrefix = new PrefixTrie();
    private final boolean usesPath;
    private final boolean usesHost;
    private final Backend defaultBackend;

    public IndexedSelector(List<SelectorRule> rules, Backend defaultBackend) {
        this.rules = rules.toArray(SelectorRule[]::new);
        this.defaultBackend = defaultBackend;
        Map<String, List<Integer>> pe = new HashMap<>();
        Map<String, List<Integer>> he = new HashMap<>();
        Map<String, List<Integer>> hd = new HashMap<>();
        List<Integer> rest = new ArrayList<>();
        for (int i = 0; i < this.rules.length; i++) {
            List<IndexHint> hints = this.rules[i].hints();
            if (hints == null) {
                rest.add(i);
                continue;
            }
            for (IndexHint h : hints) {
                for (String key : h.keys()) {
                    switch (h.kind()) {
                        case PATH_EXACT -> pe.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
                        case HOST_EXACT -> he.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
                        case HOST_DOMAIN -> hd.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
                        case PATH_PREFIX -> pathPrefix.add(key, i);
                        case HOST_PREFIX -> hostPrefix.add(key, i);
                    }
                }
            }
        }
        this.unindexed = rest.stream().mapToInt(Integer::intValue).toArray();
        this.pathExact = freeze(pe);
        this.hostExact = freeze(he);
        this.hostDomain = freeze(hd);
        this.usesPath = !pathExact.isEmpty() || !pathPrefix.isEmpty();
        this.usesHost = !hostExact.isEmpty() || !hostDomain.isEmpty() || !hostPrefix.isEmpty();
    }

    private static Map<String, int[]> freeze(Map<String, List<Integer>> m) {
        Map<String, int[]> out = new HashMap<>();
        m.forEach((k, v) -> out.put(k, v.stream().mapToInt(Integer::intValue).distinct().toArray()));
        return Map.copyOf(out);
    }

    @Override
    public Backend select(RequestView request) {
        if (!usesPath && !usesHost) {
            // nothing indexed (no use_backend rules at all, in the simplest setups): no candidate list
            for (int i : unindexed) {
                if (rules[i].condition().test(request)) {
                    return rules[i].backend();
                }
            }
            return defaultBackend;
        }
        IntList candidates = new IntList();
        gather(request, candidates);
        candidates.sortUnique();
        int c = 0;
        int u = 0;
        while (c < candidates.size() || u < unindexed.length) {
            int next;
            if (u >= unindexed.length || c < candidates.size() && candidates.get(c) < unindexed[u]) {
                next = candidates.get(c++);
            } else {
                next = unindexed[u++];
            }
            SelectorRule rule = rules[next];
            if (rule.condition().test(request)) {
                return rule.backend();
            }
        }
        return defaultBackend;
    }

    private void gather(RequestView request, IntList out) {
        if (usesPath) {
            String path = request.path();
            if (path != null) {
                String p = Ascii.lower(path);
                out.addAll(pathExact.get(p));
                pathPrefix.collect(p, out);
            }
        }
        if (usesHost) {
            for (String value : Fetch.headerValues(request, "host")) {
                String h = Ascii.lower(value);
                out.addAll(hostExact.get(h));
                hostPrefix.collect(h, out);
                if (!hostDomain.isEmpty()) {
                    domains(h, out);
                }
            }
        }
    }

    /** Every substring starting at a word start and ending before a delimiter or at the end. */
    private void domains(String h, IntList out) {
        String delims = IndexHint.DOMAIN_DELIMITERS;
        int len = h.length();
        for (int c = 0; c < len; c++) {
            if (delims.indexOf(h.charAt(c)) >= 0 || c > 0 && delims.indexOf(h.charAt(c - 1)) < 0) {
                continue;
            }
            for (int e = c + 1; e <= len; e++) {
                if (e == len || delims.indexOf(h.charAt(e)) >= 0) {
                    out.addAll(hostDomain.get(h.substring(c, e)));
                }
            }
        }
    }

    /** How many rules are evaluated for every request (not indexed); for tests and stats. */
    public int unindexedCount() {
        return unindexed.length;
    }

    @Override
    public String toString() {
        return "IndexedSelector[rules=" + rules.length + ", unindexed=" + unindexed.length + "]";
    }
}
