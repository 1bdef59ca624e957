package dev.sluice.routing.select;

import dev.sluice.routing.acl.IndexHint;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The index keys one rule could be filed under: for each OR-ed group of its condition, the
 * plain terms whose every ACL line has literal keys. Any one term of a group is enough to index
 * the group; the selector picks the term whose keys the fewest rules share (see {@link KeyCounts}).
 * The key strings are computed once here, not at every choice.
 */
public final class RuleKeys {

    /** One candidate term: its hints, and per key the counted name and the tie-break. */
    static final class Term {
        final List<IndexHint> hints;
        final String[] keys;
        final long[] tieBreaks;

        private Term(List<IndexHint> hints) {
            this.hints = List.copyOf(hints);
            List<String> k = new ArrayList<>();
            List<Long> t = new ArrayList<>();
            for (IndexHint h : this.hints) {
                boolean prefix = h.kind() == IndexHint.Kind.PATH_PREFIX || h.kind() == IndexHint.Kind.HOST_PREFIX;
                for (String key : h.keys()) {
                    k.add(counted(h.kind(), key));
                    // among equally shared terms, exact keys and longer keys first
                    t.add((prefix ? 2_000L : 0L) + Math.max(0, 1_000 - key.length()));
                }
            }
            this.keys = k.toArray(String[]::new);
            this.tieBreaks = t.stream().mapToLong(Long::longValue).toArray();
        }
    }

    final Term[][] groups;
    /** Every candidate key of every group, each once: what the rule adds to the counts. */
    final String[] distinct;

    private RuleKeys(List<List<List<IndexHint>>> groups) {
        this.groups = new Term[groups.size()][];
        Set<String> all = new LinkedHashSet<>();
        for (int g = 0; g < groups.size(); g++) {
            List<List<IndexHint>> terms = groups.get(g);
            if (terms.isEmpty()) {
                throw new IllegalArgumentException("group " + g + " has no candidate term (expected at least one)");
            }
            this.groups[g] = new Term[terms.size()];
            for (int t = 0; t < terms.size(); t++) {
                Term term = new Term(terms.get(t));
                this.groups[g][t] = term;
                all.addAll(List.of(term.keys));
            }
        }
        this.distinct = all.toArray(String[]::new);
    }

    /**
     * @param groups per OR-ed group of the condition, its candidate terms, each a list of hints
     *               that all hold when the term holds
     */
    public static RuleKeys of(List<List<List<IndexHint>>> groups) {
        return new RuleKeys(groups);
    }

    /** A rule filed under exactly {@code hints} (one group, one term). */
    public static RuleKeys fixed(List<IndexHint> hints) {
        return new RuleKeys(List.of(List.of(hints)));
    }

    static String counted(IndexHint.Kind kind, String key) {
        return kind.ordinal() + "\u0000" + key;
    }

    @Override
    public String toString() {
        return "RuleKeys" + List.of(distinct);
    }
}
