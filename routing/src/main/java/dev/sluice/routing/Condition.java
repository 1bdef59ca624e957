package dev.sluice.routing;

/** A compiled {@code if|unless} condition. */
@FunctionalInterface
public interface Condition {

    Condition ALWAYS = request -> true;

    boolean test(RequestView request);
}
