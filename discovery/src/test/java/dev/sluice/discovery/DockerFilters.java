package dev.sluice.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code filters} query parameter of the Docker Engine API, read as the engine reads it: a
 * JSON object of sets ({@code {"label":{"com.df.notify":true}}}, what current clients send) or of
 * the legacy lists ({@code {"label":["com.df.notify"]}}), both accepted.
 */
final class DockerFilters {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Set<String>> fields;

    private DockerFilters(Map<String, Set<String>> fields) {
        this.fields = fields;
    }

    /** The filters of {@code json}; an absent or empty parameter filters nothing. */
    static DockerFilters parse(String json) throws FakeDockerApi.ApiError {
        Map<String, Set<String>> fields = new LinkedHashMap<>();
        if (json == null || json.isEmpty()) {
            return new DockerFilters(fields);
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw FakeDockerApi.ApiError.badRequest("invalid filter");
        }
        if (root == null || !root.isObject()) {
            throw FakeDockerApi.ApiError.badRequest("invalid filter");
        }
        var it = root.fields();
        while (it.hasNext()) {
            var field = it.next();
            Set<String> values = new LinkedHashSet<>();
            JsonNode v = field.getValue();
            if (v.isObject()) {
                v.fieldNames().forEachRemaining(values::add);
            } else if (v.isArray()) {
                v.forEach(e -> values.add(e.asText()));
            } else {
                throw FakeDockerApi.ApiError.badRequest("invalid filter");
            }
            fields.put(field.getKey(), values);
        }
        return new DockerFilters(fields);
    }

    /** Refuses a key that the endpoint does not know, as the engine does. */
    void validate(Collection<String> accepted) throws FakeDockerApi.ApiError {
        for (String key : fields.keySet()) {
            if (!accepted.contains(key)) {
                throw FakeDockerApi.ApiError.badRequest("invalid filter '" + key + "'");
            }
        }
    }

    boolean contains(String key) {
        return fields.containsKey(key);
    }

    Set<String> get(String key) {
        return fields.getOrDefault(key, Set.of());
    }

    /** True when {@code key} is not filtered on, or {@code source} is one of its values. */
    boolean exactMatch(String key, String source) {
        Set<String> values = fields.get(key);
        return values == null || values.isEmpty() || values.contains(source);
    }

    /** The events filters' match of a name or an ID: equal to, or starting with, a value. */
    boolean fuzzyMatch(String key, String source) {
        if (exactMatch(key, source)) {
            return true;
        }
        for (String prefix : fields.get(key)) {
            if (source != null && source.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** SwarmKit's name and ID filters: prefixes; names are matched regardless of case. */
    boolean prefixMatch(String key, String source, boolean ignoreCase) {
        Set<String> values = fields.get(key);
        if (values == null || values.isEmpty()) {
            return true;
        }
        String s = ignoreCase ? source.toLowerCase(Locale.ROOT) : source;
        for (String v : values) {
            if (s.startsWith(ignoreCase ? v.toLowerCase(Locale.ROOT) : v)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The label filter: every value must match; {@code key} requires the label, {@code key=value}
     * requires that value (SwarmKit reads {@code key=} as the key alone).
     */
    boolean matchLabels(String key, Map<String, String> labels) {
        for (String filter : get(key)) {
            int eq = filter.indexOf('=');
            String k = eq < 0 ? filter : filter.substring(0, eq);
            String v = eq < 0 ? "" : filter.substring(eq + 1);
            String actual = labels.get(k);
            if (actual == null || (!v.isEmpty() && !v.equals(actual))) {
                return false;
            }
        }
        return true;
    }
}
