package dev.sluice.discovery;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Where discovered services go: the single writer of the routing table. Parameters are
 * Docker Flow Proxy's {@code reconfigure} parameters (a label {@code com.df.servicePath} is
 * {@code servicePath}), so one parser reads the admin API, labels and the listener alike.
 */
public interface ServiceSink {

    /** Adds or replaces one service; a service of another source becomes {@code source}'s. */
    CompletableFuture<Change> apply(Source source, Map<String, List<String>> params);

    /** Removes one service, whatever its source; a service it does not know is not an error. */
    CompletableFuture<Change> remove(Source source, String serviceName);

    /**
     * Makes {@code source}'s services exactly {@code services}: adds and replaces the listed ones
     * and removes {@code source}'s services that are not listed, in one change of the table. A
     * listed service that does not parse or fit fails alone and is reported; the rest apply.
     */
    CompletableFuture<Reconciled> reconcile(Source source, List<Map<String, List<String>>> services);

    /** The outcome of one change: an HTTP-like status (200 applied) and what happened. */
    record Change(int status, String message) {
        public boolean ok() {
            return status == 200;
        }
    }

    /** What a reconcile changed, and the services that could not be applied with why. */
    record Reconciled(List<String> added, List<String> updated, List<String> removed, Map<String, String> failed) {
        public Reconciled {
            added = List.copyOf(added);
            updated = List.copyOf(updated);
            removed = List.copyOf(removed);
            failed = Map.copyOf(failed);
        }

        public boolean changed() {
            return !added.isEmpty() || !updated.isEmpty() || !removed.isEmpty();
        }
    }
}
