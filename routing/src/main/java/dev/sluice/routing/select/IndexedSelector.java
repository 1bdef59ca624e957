package dev.sluice.routing.select;

import dev.sluice.routing.Backend;
import dev.sluice.routing.Frontend;
import dev.sluice.routing.RequestView;
import dev.sluice.routing.acl.Ascii;
import dev.sluice.routing.acl.Fetch;
import dev.sluice.routing.acl.IndexHint;
import java.util.List;
import java.util.Map;

/**
 * Route lookup with HAProxy's first-match order, without testing every rule: rules whose
 * condition can only hold for some literal paths or hosts sit in hash maps and prefix tries;
 * a lookup gathers the candidate rules from those plus the rules that cannot be indexed and
 * evaluates them in ascending rule order. Keys are ASCII-lowercased on both sides, so the
 * candidates are always a superset of the rules that hold.
 *
 * <p>The indexes file rules by an id that stays with a rule from one selector to the
 * {@link #next next}, and {@code rankOfId} turns ids into positions: inserting a rule moves the
 * positions of the rules after it without touching their index entries.
 */
public final class IndexedSelector implements Frontend.BackendSelector {

    final SelectorRule[] rules;
    /** By position: the keys each rule is filed under, {@code null} when it is not indexed. */
    final List<IndexHint>[] chosen;
    final int[] idOfRank;
    final int[] rankOfId;
    final KeyCounts counts;
    final KeyIndex pathExact;
    final KeyIndex hostExact;
    final KeyIndex hostDomain;
    final PrefixTrie pathPrefix;
    final PrefixTrie hostPrefix;
    private final Map<String, int[]> pathExactKeys;
    private final Map<String, int[]> hostExactKeys;
    private final Map<String, int[]> hostDomainKeys;
    /** Whether every rule's id is its position (built from nothing, or changed in place since). */
    private final boolean idsAreRanks;
    private final int[] unindexed;
    private final boolean usesPath;
    private final boolean usesHost;
    private final Backend defaultBackend;

    public IndexedSelector(List<SelectorRule> rules, Backend defaultBackend) {
        this(SelectorBuilder.fresh(rules, defaultBackend));
    }

    IndexedSelector(SelectorBuilder b) {
        this.rules = b.rules;
        this.chosen = b.chosen;
        this.idOfRank = b.idOfRank;
        this.rankOfId = b.rankOfId;
        this.counts = b.counts;
        this.pathExact = b.pathExact;
        this.hostExact = b.hostExact;
        this.hostDomain = b.hostDomain;
        this.pathPrefix = b.pathPrefix;
        this.hostPrefix = b.hostPrefix;
        this.defaultBackend = b.defaultBackend;
        this.pathExactKeys = pathExact.rules;
        this.hostExactKeys = hostExact.rules;
        this.hostDomainKeys = hostDomain.rules;
        boolean identity = rankOfId.length == rules.length;
        for (int i = 0; i < rankOfId.length && identity; i++) {
            identity = rankOfId[i] == i;
        }
        this.idsAreRanks = identity;
        int n = 0;
        for (List<IndexHint> c : chosen) {
            n += c == null ? 1 : 0;
        }
        this.unindexed = new int[n];
        for (int i = 0, u = 0; i < chosen.length; i++) {
            if (chosen[i] == null) {
                unindexed[u++] = i;
            }
        }
        this.usesPath = !pathExact.isEmpty() || !pathPrefix.isEmpty();
        this.usesHost = !hostExact.isEmpty() || !hostDomain.isEmpty() || !hostPrefix.isEmpty();
    }

    /**
     * The selector for {@code rules}, built from this one: the rules at the start and at the end
     * of {@code rules} that are the very objects this one has there keep their index entries (and
     * keep their choice of keys unless the rules in between changed how many rules share them).
     * It routes exactly as {@code new IndexedSelector(rules, defaultBackend)} would.
     */
    public IndexedSelector next(List<SelectorRule> rules, Backend defaultBackend) {
        return new IndexedSelector(SelectorBuilder.next(this, rules, defaultBackend));
    }

    /** How many rules this selector has. */
    public int size() {
        return rules.length;
    }

    /** The rule at {@code index}, in rule order. */
    public SelectorRule rule(int index) {
        return rules[index];
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
        if (!idsAreRanks) {
            candidates.map(rankOfId);
        }
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
                out.addAll(pathExactKeys.get(p));
                pathPrefix.collect(p, out);
            }
        }
        if (usesHost) {
            for (String value : Fetch.headerValues(request, "host")) {
                String h = Ascii.lower(value);
                out.addAll(hostExactKeys.get(h));
                hostPrefix.collect(h, out);
                if (!hostDomainKeys.isEmpty()) {
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
                    out.addAll(hostDomainKeys.get(h.substring(c, e)));
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
