package dev.sluice.routing;

/**
 * One change of a server's state, e.g. {@code UP -> DOWN} because "Layer4 connection refused".
 *
 * @param timeMillis wall-clock time of the change
 */
public record StateEvent(long timeMillis, String backend, String server, String from, String to, String reason) {

    @Override
    public String toString() {
        return "server " + backend + '/' + server + " is " + to + " (was " + from + "): " + reason;
    }
}
