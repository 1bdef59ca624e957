package dev.sluice.routing.select;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Exact key to rule ids, for one kind of key. Immutable once built; {@link Editor} copies the
 * map on its first change only, so an edit that leaves this kind of key alone costs nothing. The
 * result is frozen with {@code Map.copyOf}, whose lookups measured faster than a HashMap's.
 */
final class KeyIndex {

    static final KeyIndex EMPTY = new KeyIndex(Map.of());

    /** Read by {@link IndexedSelector} directly on the lookup path. */
    final Map<String, int[]> rules;

    private KeyIndex(Map<String, int[]> rules) {
        this.rules = rules;
    }

    boolean isEmpty() {
        return rules.isEmpty();
    }

    Editor edit() {
        return new Editor(this);
    }

    static final class Editor implements KeyEditor {
        private final KeyIndex from;
        private Map<String, int[]> rules;

        private Editor(KeyIndex from) {
            this.from = from;
        }

        private Map<String, int[]> writable() {
            if (rules == null) {
                rules = new HashMap<>(from.rules);
            }
            return rules;
        }

        @Override
        public void add(String key, int rule) {
            int[] ids = writable().get(key);
            if (ids == null) {
                rules.put(key, new int[] {rule});
                return;
            }
            for (int id : ids) {
                if (id == rule) {
                    return;
                }
            }
            int[] more = Arrays.copyOf(ids, ids.length + 1);
            more[ids.length] = rule;
            rules.put(key, more);
        }

        @Override
        public void remove(String key, int rule) {
            int[] ids = writable().get(key);
            if (ids == null) {
                return;
            }
            int[] fewer = Arrays.stream(ids).filter(id -> id != rule).toArray();
            if (fewer.length == 0) {
                rules.remove(key);
            } else {
                rules.put(key, fewer);
            }
        }

        KeyIndex done() {
            return rules == null ? from : new KeyIndex(Map.copyOf(rules));
        }
    }
}
