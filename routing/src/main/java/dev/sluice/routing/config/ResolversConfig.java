package dev.sluice.routing.config;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A {@code resolvers NAME} section: the DNS servers that resolve the names of the servers that
 * reference it ({@code server ... resolvers NAME}, {@code server-template ... resolvers NAME}).
 *
 * @param nameservers empty: the system's resolvers ({@code /etc/resolv.conf})
 * @param holdValidMs {@code hold valid TIME}: the longest an answer is kept; {@code 0} when unset
 */
public record ResolversConfig(String name, List<Nameserver> nameservers, long holdValidMs) {

    /** {@code nameserver NAME HOST:PORT}. */
    public record Nameserver(String name, String host, int port) {
        public Nameserver {
            requireNonNull(name, "name");
            requireNonNull(host, "host");
        }
    }

    public ResolversConfig {
        requireNonNull(name, "name");
        nameservers = List.copyOf(nameservers);
    }
}
