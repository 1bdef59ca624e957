package dev.sluice.routing.balance;

import dev.sluice.routing.RequestView;
import dev.sluice.routing.Server;
import dev.sluice.routing.acl.Fetch;
import dev.sluice.routing.acl.IpNet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * {@code source}, {@code uri} and {@code hdr(NAME)}: a consistent hash of a request key over the
 * ring. A request without the key is balanced round-robin, as HAProxy does.
 */
final class HashBalancer extends TieredBalancer {

    private final Function<RequestView, byte[]> key;
    private final AtomicLong counter = new AtomicLong();

    private HashBalancer(Function<RequestView, byte[]> key) {
        super(true);
        this.key = key;
    }

    static HashBalancer source() {
        return new HashBalancer(r -> r.clientAddress() == null ? null : IpNet.normalize(r.clientAddress().getAddress()));
    }

    /** HAProxy's {@code balance uri}: the part of the URI before the question mark. */
    static HashBalancer uri() {
        return new HashBalancer(r -> {
            String uri = r.uri();
            if (uri == null) {
                return null;
            }
            int q = uri.indexOf('?');
            return bytes(q < 0 ? uri : uri.substring(0, q));
        });
    }

    static HashBalancer header(String name) {
        return new HashBalancer(r -> {
            List<String> values = Fetch.headerValues(r, name);
            return values.isEmpty() || values.get(0).isEmpty() ? null : bytes(values.get(0));
        });
    }

    private static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    Server choose(Tier tier, RequestView request, Predicate<Server> ok) {
        byte[] k = request == null ? null : key.apply(request);
        if (k == null) {
            return RoundRobinBalancer.walk(tier.sequence, counter.getAndIncrement(), ok);
        }
        return tier.ring.lookup(HashRing.hash(k), ok);
    }
}
