package dev.sluice.admin;

import static java.util.Objects.requireNonNull;

import dev.sluice.discovery.Source;

import java.util.List;
import java.util.Map;

/** A service as it is kept on disk and handed between replicas: its parameters and where it came from. */
public record StoredService(Source source, Map<String, List<String>> params) {

    public StoredService {
        requireNonNull(source, "source");
        requireNonNull(params, "params");
    }

    /** The service's name, or "" when the parameters have none. */
    public String name() {
        List<String> v = params.get("serviceName");
        return v == null || v.isEmpty() || v.get(0) == null ? "" : v.get(0).trim();
    }
}
