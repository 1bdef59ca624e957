package dev.sluice.admin;

import dev.sluice.routing.RoutingTable;

/** Where an accepted routing table goes: the data plane (opening and closing its binds). */
@FunctionalInterface
public interface TablePublisher {

    /** Publishes {@code table}; on failure nothing was changed and the exception says why. */
    void publish(RoutingTable table) throws Exception;
}
