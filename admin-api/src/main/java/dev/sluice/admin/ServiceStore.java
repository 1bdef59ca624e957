package dev.sluice.admin;

import java.io.IOException;
import java.util.List;

/** Durable storage of the services: a change is acknowledged only once saved. */
@FunctionalInterface
public interface ServiceStore {

    /** Replaces what is stored with {@code services}, durably (the file is on disk when this returns). */
    void save(List<StoredService> services) throws IOException;

    /** Keeps nothing: for tests and for running without a state directory. */
    ServiceStore NONE = services -> { };
}
