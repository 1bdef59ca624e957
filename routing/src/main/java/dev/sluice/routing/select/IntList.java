package dev.sluice.routing.select;

import java.util.Arrays;

/** A small growable list of rule indexes, local to one lookup. */
final class IntList {

    private int[] values = new int[8];
    private int size;

    void add(int v) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = v;
    }

    void addAll(int[] vs) {
        if (vs == null) {
            return;
        }
        for (int v : vs) {
            add(v);
        }
    }

    int size() {
        return size;
    }

    int get(int i) {
        return values[i];
    }

    /** Replaces each value {@code v} by {@code map[v]}. */
    void map(int[] map) {
        for (int i = 0; i < size; i++) {
            values[i] = map[values[i]];
        }
    }

    /** Sorts ascending and drops duplicates. */
    void sortUnique() {
        Arrays.sort(values, 0, size);
        int w = 0;
        for (int i = 0; i < size; i++) {
            if (w == 0 || values[w - 1] != values[i]) {
                values[w++] = values[i];
            }
        }
        size = w;
    }
}
