package dev.sluice.routing.select;

import dev.sluice.routing.Backend;
import dev.sluice.routing.acl.IndexHint;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Builds the parts of an {@link IndexedSelector}: from nothing, or from the previous selector
 * when most rules are the same objects, so that a change of one service in a frontend of
 * thousands re-files that service's rules only.
 */
final class SelectorBuilder {

    SelectorRule[] rules;
    List<IndexHint>[] chosen;
    int[] idOfRank;
    int[] rankOfId;
    KeyCounts counts;
    KeyIndex pathExact;
    KeyIndex hostExact;
    KeyIndex hostDomain;
    PrefixTrie pathPrefix;
    PrefixTrie hostPrefix;
    final Backend defaultBackend;

    private final KeyIndex.Editor pathExactEdit;
    private final KeyIndex.Editor hostExactEdit;
    private final KeyIndex.Editor hostDomainEdit;
    private final PrefixTrie.Editor pathPrefixEdit;
    private final PrefixTrie.Editor hostPrefixEdit;

    private SelectorBuilder(Backend defaultBackend, KeyIndex pathExact, KeyIndex hostExact, KeyIndex hostDomain,
                            PrefixTrie pathPrefix, PrefixTrie hostPrefix) {
        this.defaultBackend = defaultBackend;
        this.pathExactEdit = pathExact.edit();
        this.hostExactEdit = hostExact.edit();
        this.hostDomainEdit = hostDomain.edit();
        this.pathPrefixEdit = pathPrefix.edit();
        this.hostPrefixEdit = hostPrefix.edit();
    }

    static SelectorBuilder fresh(List<SelectorRule> list, Backend defaultBackend) {
        SelectorBuilder b = new SelectorBuilder(defaultBackend, KeyIndex.EMPTY, KeyIndex.EMPTY, KeyIndex.EMPTY,
                PrefixTrie.EMPTY, PrefixTrie.EMPTY);
        b.rules = list.toArray(SelectorRule[]::new);
        int n = b.rules.length;
        b.idOfRank = new int[n];
        Arrays.setAll(b.idOfRank, i -> i);
        b.rankOfId = b.idOfRank;
        b.counts = KeyCounts.of(b.rules);
        b.chosen = newChosen(n);
        for (int i = 0; i < n; i++) {
            b.chosen[i] = b.counts.choose(b.rules[i].keys());
            b.file(b.chosen[i], i);
        }
        return b.finish();
    }

    /** See {@link IndexedSelector#next}. */
    static SelectorBuilder next(IndexedSelector prev, List<SelectorRule> list, Backend defaultBackend) {
        SelectorRule[] now = list.toArray(SelectorRule[]::new);
        SelectorRule[] was = prev.rules;
        int n = now.length;
        int m = was.length;
        int p = 0;
        while (p < Math.min(n, m) && now[p] == was[p]) {
            p++;
        }
        int s = 0;
        while (s < Math.min(n, m) - p && now[n - 1 - s] == was[m - 1 - s]) {
            s++;
        }
        int added = n - p - s;
        int removed = m - p - s;
        if (added + removed > n / 2 + 8) {
            return fresh(list, defaultBackend); // mostly new: cheaper, and its ids are dense again
        }
        SelectorBuilder b = new SelectorBuilder(defaultBackend, prev.pathExact, prev.hostExact, prev.hostDomain,
                prev.pathPrefix, prev.hostPrefix);
        Set<String> changed = new HashSet<>();
        KeyCounts.Editor counts = prev.counts.edit();
        int[] free = new int[removed];
        for (int r = p; r < m - s; r++) {
            counts.add(was[r].keys(), -1, changed);
            b.unfile(prev.chosen[r], prev.idOfRank[r]);
            free[r - p] = prev.idOfRank[r];
        }
        for (int r = p; r < n - s; r++) {
            counts.add(now[r].keys(), 1, changed);
        }
        b.counts = counts.done();
        b.rules = now;
        b.chosen = newChosen(n);
        b.idOfRank = new int[n];
        System.arraycopy(prev.chosen, 0, b.chosen, 0, p);
        System.arraycopy(prev.idOfRank, 0, b.idOfRank, 0, p);
        System.arraycopy(prev.chosen, m - s, b.chosen, n - s, s);
        System.arraycopy(prev.idOfRank, m - s, b.idOfRank, n - s, s);
        int nextId = prev.rankOfId.length;
        for (int r = p; r < n - s; r++) {
            int k = r - p;
            b.idOfRank[r] = k < removed ? free[k] : nextId++;
        }
        b.rankOfId = new int[nextId];
        Arrays.fill(b.rankOfId, -1);
        for (int r = 0; r < n; r++) {
            b.rankOfId[b.idOfRank[r]] = r;
        }
        if (!changed.isEmpty()) {
            for (int r = 0; r < p; r++) {
                b.rechoose(r, changed);
            }
            for (int r = n - s; r < n; r++) {
                b.rechoose(r, changed);
            }
        }
        for (int r = p; r < n - s; r++) {
            b.chosen[r] = b.counts.choose(now[r].keys());
            b.file(b.chosen[r], b.idOfRank[r]);
        }
        return b.finish();
    }

    /** A kept rule whose candidate keys are now shared by more or fewer rules may choose other keys. */
    private void rechoose(int rank, Set<String> changed) {
        RuleKeys keys = rules[rank].keys();
        if (keys == null || !sharesAny(keys, changed)) {
            return;
        }
        List<IndexHint> c = counts.choose(keys);
        if (!Objects.equals(c, chosen[rank])) {
            unfile(chosen[rank], idOfRank[rank]);
            chosen[rank] = c;
            file(c, idOfRank[rank]);
        }
    }

    private static boolean sharesAny(RuleKeys keys, Set<String> changed) {
        for (String k : keys.distinct) {
            if (changed.contains(k)) {
                return true;
            }
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    private static List<IndexHint>[] newChosen(int n) {
        return (List<IndexHint>[]) new List<?>[n];
    }

    private void file(List<IndexHint> hints, int id) {
        edit(hints, id, true);
    }

    private void unfile(List<IndexHint> hints, int id) {
        edit(hints, id, false);
    }

    private void edit(List<IndexHint> hints, int id, boolean add) {
        if (hints == null) {
            return;
        }
        for (IndexHint h : hints) {
            KeyEditor editor = switch (h.kind()) {
                case PATH_EXACT -> pathExactEdit;
                case HOST_EXACT -> hostExactEdit;
                case HOST_DOMAIN -> hostDomainEdit;
                case PATH_PREFIX -> pathPrefixEdit;
                case HOST_PREFIX -> hostPrefixEdit;
            };
            for (String key : h.keys()) {
                if (add) {
                    editor.add(key, id);
                } else {
                    editor.remove(key, id);
                }
            }
        }
    }

    private SelectorBuilder finish() {
        pathExact = pathExactEdit.done();
        hostExact = hostExactEdit.done();
        hostDomain = hostDomainEdit.done();
        pathPrefix = pathPrefixEdit.done();
        hostPrefix = hostPrefixEdit.done();
        return this;
    }
}
