package dev.sluice.routing;

import java.net.InetAddress;
import java.util.function.Predicate;

/**
 * {@code option forwardfor [except NET] [header NAME]}: add the client address in {@code header}
 * unless the client is in {@code except}.
 */
public record ForwardFor(String header, Predicate<InetAddress> except) {

    public boolean appliesTo(InetAddress client) {
        return except == null || !except.test(client);
    }
}
