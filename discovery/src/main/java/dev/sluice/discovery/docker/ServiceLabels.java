package dev.sluice.discovery.docker;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Swarm service's {@code com.df.*} labels as {@code reconfigure} parameters, as Docker Flow
 * Swarm Listener sends them: each {@code com.df.X} label becomes parameter {@code X}, plus
 * {@code serviceName} (the service's name, without its stack prefix when
 * {@code com.df.shortName=true}) and {@code replicas} for a replicated service.
 */
final class ServiceLabels {

    static final String PREFIX = "com.df.";
    static final String NOTIFY = "com.df.notify";
    /** Labels that steer the listener or a fan-out, not the service's routing. */
    private static final Set<String> NOT_PARAMETERS = Set.of("notify", "distribute", "shortName");

    private ServiceLabels() {
    }

    /** {@code com.df.notify} is {@code true} (any case), as the listener requires. */
    static boolean notify(JsonNode service) {
        return "true".equalsIgnoreCase(labels(service).path(NOTIFY).asText("").trim());
    }

    static String name(JsonNode service) {
        return service.path("Spec").path("Name").asText("");
    }

    static String id(JsonNode service) {
        return service.path("ID").asText("");
    }

    /** The replicas a replicated service asks for; -1 for a global one. */
    static int replicas(JsonNode service) {
        JsonNode replicated = service.path("Spec").path("Mode").path("Replicated");
        return replicated.isMissingNode() ? -1 : replicated.path("Replicas").asInt(1);
    }

    /** The service's parameters; {@code serviceCert} labels are left out (certificates go through the cert API). */
    static Map<String, List<String>> params(JsonNode service) {
        JsonNode labels = labels(service);
        Map<String, List<String>> params = new LinkedHashMap<>();
        String name = name(service);
        if ("true".equalsIgnoreCase(labels.path(PREFIX + "shortName").asText(""))) {
            String stack = labels.path("com.docker.stack.namespace").asText("");
            if (!stack.isEmpty() && name.startsWith(stack + "_")) {
                name = name.substring(stack.length() + 1);
            }
        }
        params.put("serviceName", List.of(name));
        for (Iterator<Map.Entry<String, JsonNode>> it = labels.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> label = it.next();
            if (!label.getKey().startsWith(PREFIX)) {
                continue;
            }
            String param = label.getKey().substring(PREFIX.length());
            if (param.isEmpty() || NOT_PARAMETERS.contains(param) || param.equals("serviceName")
                    || param.equals("serviceCert")) {
                continue;
            }
            params.put(param, new ArrayList<>(List.of(label.getValue().asText(""))));
        }
        int replicas = replicas(service);
        if (replicas >= 0) {
            params.put("replicas", List.of(Integer.toString(replicas)));
        }
        return params;
    }

    private static JsonNode labels(JsonNode service) {
        return service.path("Spec").path("Labels");
    }
}
