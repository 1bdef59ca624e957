package dev.sluice.admin;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The answer to an admin call, in Docker Flow Proxy's JSON shape:
 * {@code {"Status":"OK"|"NOK","Message":...,"ServiceName":...}} plus the service's fields.
 */
public record Outcome(int status, Map<String, Object> body) {

    static Outcome ok(String message, String serviceName, Map<String, Object> fields) {
        return of(200, message, serviceName, fields);
    }

    static Outcome error(int status, String message, String serviceName) {
        return of(status, message, serviceName, Map.of());
    }

    private static Outcome of(int status, String message, String serviceName, Map<String, Object> fields) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Status", status == 200 ? "OK" : "NOK");
        body.put("Message", message);
        body.put("ServiceName", serviceName);
        fields.forEach(body::putIfAbsent);
        return new Outcome(status, body);
    }
}
