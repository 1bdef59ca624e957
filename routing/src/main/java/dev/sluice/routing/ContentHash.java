package dev.sluice.routing;

import static java.util.Objects.requireNonNull;

import java.util.function.Supplier;

/**
 * A table's content hash, computed the first time it is asked for: it renders the whole
 * configuration, which cost a quarter of a {@code reconfigure}'s CPU with 100 services, while the
 * hash is read only by ping, the peers' survey and the statistics pages. Thread-safe: two first
 * readers may both compute it, and get the same value.
 */
public final class ContentHash {

    private final Supplier<String> compute;
    private volatile String value;

    private ContentHash(Supplier<String> compute) {
        this.compute = compute;
    }

    /** A hash known already. */
    public static ContentHash of(String value) {
        ContentHash h = new ContentHash(() -> value);
        h.value = requireNonNull(value, "value");
        return h;
    }

    /** A hash {@code compute} gives when first asked for. */
    public static ContentHash lazy(Supplier<String> compute) {
        return new ContentHash(requireNonNull(compute, "compute"));
    }

    public String value() {
        String v = value;
        if (v == null) {
            v = compute.get();
            value = v;
        }
        return v;
    }

    @Override
    public String toString() {
        return value();
    }
}
