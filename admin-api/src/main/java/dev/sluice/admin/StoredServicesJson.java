package dev.sluice.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.discovery.Source;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Services as JSON, one form for {@code STATE_DIR/services.json} and for what replicas hand each
 * other: an array of {@code {"source": "docker", "params": {"serviceName": ["x"], ...}}} in order.
 * An entry without {@code source} (a file written before sources were kept) is an {@code api} one.
 */
public final class StoredServicesJson {

    private StoredServicesJson() {
    }

    public static ArrayNode write(List<StoredService> services) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (StoredService service : services) {
            array.add(entry(service));
        }
        return array;
    }

    /** One element of the array {@link #write} makes. */
    public static ObjectNode entry(StoredService service) {
        ObjectNode entry = JsonNodeFactory.instance.objectNode();
        entry.put("source", service.source().id());
        ObjectNode params = entry.putObject("params");
        service.params().forEach((name, values) -> {
            ArrayNode list = params.putArray(name);
            values.forEach(list::add);
        });
        return entry;
    }

    /**
     * @throws IllegalArgumentException saying which entry and parameter is not what is expected
     */
    public static List<StoredService> read(JsonNode root) {
        if (root == null || !root.isArray()) {
            throw new IllegalArgumentException("expected a JSON array of {\"params\": {...}} objects");
        }
        List<StoredService> services = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode params = root.get(i).get("params");
            if (params == null || !params.isObject()) {
                throw new IllegalArgumentException("entry " + i + ": expected an object with \"params\"");
            }
            Map<String, List<String>> service = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = params.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> param = it.next();
                service.put(param.getKey(), strings(i, param.getKey(), param.getValue()));
            }
            JsonNode source = root.get(i).get("source");
            services.add(new StoredService(Source.of(source == null ? null : source.asText()),
                    Collections.unmodifiableMap(service)));
        }
        return List.copyOf(services);
    }

    private static List<String> strings(int entry, String name, JsonNode values) {
        if (!values.isArray()) {
            throw new IllegalArgumentException("entry " + entry + ", parameter " + name + ": expected an array of strings");
        }
        List<String> out = new ArrayList<>(values.size());
        for (JsonNode v : values) {
            if (!v.isTextual()) {
                throw new IllegalArgumentException("entry " + entry + ", parameter " + name
                        + ": expected an array of strings");
            }
            out.add(v.textValue());
        }
        return List.copyOf(out);
    }
}
