package dev.sluice.admin;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** Durable storage of the services' parameters: a change is acknowledged only once saved. */
@FunctionalInterface
public interface ServiceStore {

    /** Replaces what is stored with {@code services}, durably (the file is on disk when this returns). */
    void save(List<Map<String, List<String>>> services) throws IOException;

    /** Keeps nothing: for tests and for running without a state directory. */
    ServiceStore NONE = services -> { };
}
