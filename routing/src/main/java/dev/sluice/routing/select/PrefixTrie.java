package dev.sluice.routing.select;

import java.util.Arrays;

/**
 * Prefix to rule indexes. Filled while a selector is built, read-only afterwards (published
 * through the selector's final fields), so lookups need no lock.
 */
final class PrefixTrie {

    private static final int[] NONE = new int[0];

    private static final class Node {
        char[] keys = new char[0];
        Node[] children = new Node[0];
        int[] rules = NONE;

        Node child(char c) {
            int i = Arrays.binarySearch(keys, c);
            return i < 0 ? null : children[i];
        }

        Node childOrCreate(char c) {
            int i = Arrays.binarySearch(keys, c);
            if (i >= 0) {
                return children[i];
            }
            int at = -i - 1;
            char[] k = new char[keys.length + 1];
            Node[] ch = new Node[children.length + 1];
            System.arraycopy(keys, 0, k, 0, at);
            System.arraycopy(children, 0, ch, 0, at);
            k[at] = c;
            ch[at] = new Node();
            System.arraycopy(keys, at, k, at + 1, keys.length - at);
            System.arraycopy(children, at, ch, at + 1, children.length - at);
            keys = k;
            children = ch;
            return ch[at];
        }
    }

    private final Node root = new Node();
    private boolean empty = true;

    void add(String prefix, int rule) {
        Node n = root;
        for (int i = 0; i < prefix.length(); i++) {
            n = n.childOrCreate(prefix.charAt(i));
        }
        n.rules = Arrays.copyOf(n.rules, n.rules.length + 1);
        n.rules[n.rules.length - 1] = rule;
        empty = false;
    }

    boolean isEmpty() {
        return empty;
    }

    /** Adds the rules of every key that is a prefix of {@code s}. */
    void collect(String s, IntList out) {
        Node n = root;
        out.addAll(n.rules);
        for (int i = 0; i < s.length() && n != null; i++) {
            n = n.child(s.charAt(i));
            if (n != null) {
                out.addAll(n.rules);
            }
        }
    }
}
