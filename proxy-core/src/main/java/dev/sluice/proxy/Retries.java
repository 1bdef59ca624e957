package dev.sluice.proxy;

import dev.sluice.routing.Backend;
import dev.sluice.routing.RequestView;
import dev.sluice.routing.Server;

/**
 * HAProxy's connection retries: after a failed connect, {@code retries} more attempts; with
 * {@code option redispatch} the last one goes to another server when one is usable.
 */
final class Retries {

    private Retries() {
    }

    /**
     * The server for attempt number {@code attempt} (1 for the first retry) after {@code failed}
     * could not be reached, or {@code null} when the retries are used up.
     */
    static Server next(Backend backend, RequestView request, Server failed, int attempt) {
        if (attempt > backend.retries()) {
            return null;
        }
        if (backend.redispatch() && attempt == backend.retries()) {
            Server other = backend.pick(request, failed);
            if (other != null) {
                return other;
            }
        }
        return failed;
    }
}
