package dev.sluice.routing.select;

import dev.sluice.routing.acl.IndexHint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How many rules of a selector have each key among their candidates, and the choice of each
 * rule's keys that follows: per group the term whose most shared key is shared by the fewest
 * rules, so {@code path_beg /} (every service on the root path) loses to an exact host, and a
 * host shared by many services loses to their distinct path prefixes.
 *
 * <p>Immutable. An edit writes into a small overlay on top of the previous counts, so a change of
 * a few rules costs a few entries; the overlay is folded into a new base once it grows past a
 * fraction of it.
 */
final class KeyCounts {

    static final KeyCounts EMPTY = new KeyCounts(Map.of(), Map.of());

    private final Map<String, Integer> base;
    private final Map<String, Integer> overlay;

    private KeyCounts(Map<String, Integer> base, Map<String, Integer> overlay) {
        this.base = base;
        this.overlay = overlay;
    }

    /** The counts of every rule's candidate keys. */
    static KeyCounts of(SelectorRule[] rules) {
        Map<String, Integer> counts = new HashMap<>();
        for (SelectorRule r : rules) {
            if (r.keys() != null) {
                for (String k : r.keys().distinct) {
                    counts.merge(k, 1, Integer::sum);
                }
            }
        }
        return new KeyCounts(counts, Map.of());
    }

    int get(String key) {
        Integer v = overlay.get(key);
        if (v == null) {
            v = base.get(key);
        }
        return v == null ? 0 : v;
    }

    /** The keys of {@code keys} chosen under these counts, or {@code null} when {@code keys} is. */
    List<IndexHint> choose(RuleKeys keys) {
        if (keys == null) {
            return null;
        }
        if (keys.groups.length == 1) {
            return best(keys.groups[0]).hints;
        }
        List<IndexHint> all = new ArrayList<>();
        for (RuleKeys.Term[] group : keys.groups) {
            all.addAll(best(group).hints);
        }
        return all;
    }

    private RuleKeys.Term best(RuleKeys.Term[] group) {
        RuleKeys.Term best = null;
        long bestCost = Long.MAX_VALUE;
        for (RuleKeys.Term term : group) {
            long cost = cost(term);
            if (cost < bestCost) {
                best = term;
                bestCost = cost;
            }
        }
        return best;
    }

    /** Rules sharing the term's most shared key, then the tie-break. */
    private long cost(RuleKeys.Term term) {
        long worst = 0;
        for (int i = 0; i < term.keys.length; i++) {
            long shared = Math.max(1, get(term.keys[i]));
            worst = Math.max(worst, shared * 10_000 + term.tieBreaks[i]);
        }
        return worst;
    }

    Editor edit() {
        return new Editor(this);
    }

    /** Changes to counts; {@link #done()} gives the new counts and leaves the old ones as they were. */
    static final class Editor {
        private final Map<String, Integer> base;
        private final Map<String, Integer> overlay;
        private final KeyCounts from;

        private Editor(KeyCounts from) {
            this.from = from;
            this.base = from.base;
            this.overlay = new HashMap<>(from.overlay);
        }

        /** Adds {@code delta} to each key of {@code keys}, recording the keys in {@code changed}. */
        void add(RuleKeys keys, int delta, Set<String> changed) {
            if (keys == null) {
                return;
            }
            for (String k : keys.distinct) {
                Integer v = overlay.get(k);
                int now = (v != null ? v : from.get(k)) + delta;
                overlay.put(k, now);
                changed.add(k);
            }
        }

        KeyCounts done() {
            if (overlay.size() <= 32 + base.size() / 8) {
                return new KeyCounts(base, overlay);
            }
            Map<String, Integer> merged = new HashMap<>(base);
            overlay.forEach((k, v) -> {
                if (v <= 0) {
                    merged.remove(k);
                } else {
                    merged.put(k, v);
                }
            });
            return new KeyCounts(merged, Map.of());
        }
    }
}
