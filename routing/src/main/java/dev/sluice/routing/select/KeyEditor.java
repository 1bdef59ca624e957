package dev.sluice.routing.select;

/** Files rules under keys of one index, or takes them out, while a selector is built from the one before. */
interface KeyEditor {

    void add(String key, int rule);

    void remove(String key, int rule);
}
