package dev.sluice.routing.service;

/** One {@code reqPathSearchReplace} pair: the first match of {@code search} (a regex) becomes {@code replace}. */
public record SearchReplace(String search, String replace) {
}
