package dev.sluice.routing.select;

import java.util.Arrays;

/**
 * Prefix to rule ids. Immutable once an {@link Editor} is done with it (published through the
 * selector's final fields), so lookups need no lock. An editor copies only the nodes on the paths
 * it changes, and the trie it started from stays as it was: the previous routing table keeps
 * serving requests while the next one is built from it.
 */
final class PrefixTrie {

    private static final int[] NONE = new int[0];

    static final PrefixTrie EMPTY = new PrefixTrie(new Node(null));

    private static final class Node {
        /** The editor that may still change this node in place; {@code null} or a finished one for none. */
        final Object owner;
        char[] keys = new char[0];
        Node[] children = new Node[0];
        int[] rules = NONE;

        Node(Object owner) {
            this.owner = owner;
        }

        Node ownedBy(Object editor) {
            if (owner == editor) {
                return this;
            }
            Node copy = new Node(editor);
            copy.keys = keys.clone();
            copy.children = children.clone();
            copy.rules = rules;
            return copy;
        }

        Node child(char c) {
            int i = Arrays.binarySearch(keys, c);
            return i < 0 ? null : children[i];
        }

        boolean isEmpty() {
            return rules.length == 0 && children.length == 0;
        }
    }

    private final Node root;

    private PrefixTrie(Node root) {
        this.root = root;
    }

    boolean isEmpty() {
        return root.isEmpty();
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

    Editor edit() {
        return new Editor(root);
    }

    /** Adds and removes (key, rule id) entries; one thread, then {@link #done()}. */
    static final class Editor implements KeyEditor {
        private final Object token = new Object();
        private Node root;

        private Editor(Node root) {
            this.root = root;
        }

        @Override
        public void add(String prefix, int rule) {
            root = root.ownedBy(token);
            Node n = root;
            for (int i = 0; i < prefix.length(); i++) {
                char c = prefix.charAt(i);
                int at = Arrays.binarySearch(n.keys, c);
                Node child;
                if (at >= 0) {
                    child = n.children[at].ownedBy(token);
                    n.children[at] = child;
                } else {
                    child = new Node(token);
                    insert(n, -at - 1, c, child);
                }
                n = child;
            }
            for (int r : n.rules) {
                if (r == rule) {
                    return;
                }
            }
            n.rules = Arrays.copyOf(n.rules, n.rules.length + 1);
            n.rules[n.rules.length - 1] = rule;
        }

        /** Removes {@code rule} from {@code prefix}, and the nodes that are left without rules or children. */
        @Override
        public void remove(String prefix, int rule) {
            Node[] path = new Node[prefix.length() + 1];
            Node n = root;
            for (int i = 0; i < prefix.length(); i++) {
                n = n.child(prefix.charAt(i));
                if (n == null) {
                    return;
                }
            }
            root = root.ownedBy(token);
            path[0] = root;
            for (int i = 0; i < prefix.length(); i++) {
                int at = Arrays.binarySearch(path[i].keys, prefix.charAt(i));
                path[i + 1] = path[i].children[at].ownedBy(token);
                path[i].children[at] = path[i + 1];
            }
            Node last = path[prefix.length()];
            last.rules = Arrays.stream(last.rules).filter(r -> r != rule).toArray();
            for (int i = prefix.length(); i > 0 && path[i].isEmpty(); i--) {
                Node parent = path[i - 1];
                int at = Arrays.binarySearch(parent.keys, prefix.charAt(i - 1));
                parent.keys = without(parent.keys, at);
                Node[] ch = new Node[parent.children.length - 1];
                System.arraycopy(parent.children, 0, ch, 0, at);
                System.arraycopy(parent.children, at + 1, ch, at, ch.length - at);
                parent.children = ch;
            }
        }

        PrefixTrie done() {
            return new PrefixTrie(root);
        }

        private static void insert(Node n, int at, char c, Node child) {
            char[] k = new char[n.keys.length + 1];
            Node[] ch = new Node[n.children.length + 1];
            System.arraycopy(n.keys, 0, k, 0, at);
            System.arraycopy(n.children, 0, ch, 0, at);
            k[at] = c;
            ch[at] = child;
            System.arraycopy(n.keys, at, k, at + 1, n.keys.length - at);
            System.arraycopy(n.children, at, ch, at + 1, n.children.length - at);
            n.keys = k;
            n.children = ch;
        }

        private static char[] without(char[] keys, int at) {
            char[] k = new char[keys.length - 1];
            System.arraycopy(keys, 0, k, 0, at);
            System.arraycopy(keys, at + 1, k, at, k.length - at);
            return k;
        }
    }
}
