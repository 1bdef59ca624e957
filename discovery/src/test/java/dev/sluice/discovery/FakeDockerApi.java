package dev.sluice.discovery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The routes of the fake engine and the engine's answers to them: the version middleware
 * (a {@code /v1.NN} prefix between 1.24 and 1.45), the swarm-manager check, and the handlers of
 * {@code /_ping}, {@code /version}, {@code /info}, {@code /services}, {@code /tasks} and
 * {@code /events}.
 */
final class FakeDockerApi {

    /** An error answer: the status and {@code {"message": ...}}, as the daemon's error handler writes it. */
    static final class ApiError extends Exception {
        final int status;

        ApiError(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        static ApiError badRequest(String message) {
            return new ApiError(400, message);
        }

        static ApiError notFound(String message) {
            return new ApiError(404, message);
        }
    }

    static final String NOT_MANAGER = "This node is not a swarm manager. Worker nodes can't be used to view or modify"
            + " cluster state. Please run this command on a manager node or promote the current node to a manager.";

    private static final Pattern VERSIONED = Pattern.compile("/v([0-9.]+)(/.*)");
    private static final Pattern SERVICE = Pattern.compile("/services/([^/]+)");
    private static final List<String> SERVICE_FILTERS = List.of("name", "id", "label", "mode", "runtime");
    private static final List<String> TASK_FILTERS =
            List.of("name", "id", "label", "service", "node", "desired-state", "_up-to-date", "runtime");

    private final FakeDockerEngine engine;

    FakeDockerApi(FakeDockerEngine engine) {
        this.engine = engine;
    }

    /** Answers {@code req}; returns the events stream it opened, or null. */
    FakeDockerEvents.Stream handle(FakeDockerHttp.Request req, FakeDockerHttp.Connection c) throws IOException {
        String path = req.path();
        String version = null;
        Matcher m = VERSIONED.matcher(path);
        if (m.matches()) {
            version = m.group(1);
            path = m.group(2);
        }
        boolean get = req.method().equals("GET");
        boolean known = path.equals("/_ping") ? get || req.method().equals("HEAD")
                : get && (List.of("/version", "/info", "/services", "/tasks", "/events").contains(path)
                        || SERVICE.matcher(path).matches());
        if (!known) {
            // The router's not-found handler runs outside the middlewares: no API headers.
            Map<String, String> h = new TreeMap<>(Map.of("Content-Type", "application/json", "Date", FakeDockerHttp.date()));
            c.respond(404, h, message("page not found"), false);
            return null;
        }
        try {
            checkVersion(version);
            return route(path, req, c);
        } catch (ApiError e) {
            c.respond(e.status, headers("application/json"), message(e.getMessage()), false);
            return null;
        }
    }

    /** A 500 answer for a bug of the fake itself, so that a test sees it as one. */
    void bug(FakeDockerHttp.Connection c, RuntimeException bug) throws IOException {
        c.respond(500, headers("application/json"), message("fake engine bug: " + bug), false);
    }

    /** A 500 answer for {@link FakeDockerEngine#failNextRequests}. */
    void fail(FakeDockerHttp.Connection c, int left) throws IOException {
        c.respond(500, headers("application/json"),
                message("fake engine: failure injected by the test (" + left + " more to come)"), false);
    }

    private FakeDockerEvents.Stream route(String path, FakeDockerHttp.Request req, FakeDockerHttp.Connection c)
            throws IOException, ApiError {
        switch (path) {
            case "/_ping":
                ping(req, c);
                return null;
            case "/version":
                json(c, FakeDockerJson.version());
                return null;
            case "/info":
                synchronized (engine.lock) {
                    json(c, FakeDockerJson.info(engine.swarm, engine.manager));
                }
                return null;
            case "/events":
                return events(req, c);
            default:
                break;
        }
        synchronized (engine.lock) {
            if (!engine.manager) {
                throw new ApiError(503, NOT_MANAGER);
            }
            if (path.equals("/services")) {
                json(c, services(req));
            } else if (path.equals("/tasks")) {
                json(c, tasks(req));
            } else {
                Matcher m = SERVICE.matcher(path);
                m.matches();
                json(c, FakeDockerJson.service(engine.swarm, engine.swarm.lookup(m.group(1)), false));
            }
        }
        return null;
    }

    private void ping(FakeDockerHttp.Request req, FakeDockerHttp.Connection c) throws IOException {
        Map<String, String> h = headers("text/plain; charset=utf-8");
        h.put("Builder-Version", "2");
        h.put("Cache-Control", "no-cache, no-store, must-revalidate");
        h.put("Pragma", "no-cache");
        synchronized (engine.lock) {
            h.put("Swarm", engine.manager ? "active/manager" : "active/worker");
        }
        c.respond(200, h, "OK".getBytes(StandardCharsets.US_ASCII), req.method().equals("HEAD"));
    }

    private ArrayNode services(FakeDockerHttp.Request req) throws ApiError {
        DockerFilters f = DockerFilters.parse(req.query().get("filters"));
        f.validate(SERVICE_FILTERS);
        boolean status = bool(req.query().get("status"));
        ArrayNode out = FakeDockerJson.MAPPER.createArrayNode();
        for (FakeDockerSwarm.Service s : engine.swarm.services()) {
            if (f.prefixMatch("name", s.name, true) && f.prefixMatch("id", s.id, false)
                    && f.matchLabels("label", s.labels) && f.exactMatch("mode", s.global ? "global" : "replicated")
                    && f.exactMatch("runtime", "container")) {
                out.add(FakeDockerJson.service(engine.swarm, s, status));
            }
        }
        return out;
    }

    private ArrayNode tasks(FakeDockerHttp.Request req) throws ApiError {
        DockerFilters f = DockerFilters.parse(req.query().get("filters"));
        f.validate(TASK_FILTERS);
        for (String state : f.get("desired-state")) {
            if (!state.isEmpty() && !FakeDockerSwarm.TASK_STATES.contains(state.toLowerCase())) {
                throw ApiError.badRequest("Invalid desired-state filter: '" + state + "'");
            }
        }
        List<String> serviceIds = new ArrayList<>();
        for (String s : f.get("service")) {
            serviceIds.add(engine.swarm.lookup(s).id);
        }
        ArrayNode out = FakeDockerJson.MAPPER.createArrayNode();
        for (FakeDockerSwarm.Task t : engine.swarm.tasks()) {
            String name = t.service.name + "." + (t.slot != 0 ? Integer.toString(t.slot) : t.nodeId) + "." + t.id;
            boolean desired = f.get("desired-state").isEmpty()
                    || f.get("desired-state").stream().anyMatch(d -> d.equalsIgnoreCase(t.desiredState));
            if ((serviceIds.isEmpty() || serviceIds.contains(t.service.id)) && desired
                    && f.prefixMatch("name", name, true) && f.prefixMatch("id", t.id, false)
                    && f.matchLabels("label", Map.of()) && f.exactMatch("node", t.nodeId)) {
                // _up-to-date: the updater refreshes the spec version of tasks a label change or a
                // scale leaves alone, and the fake makes no other change, so every task is up to date.
                out.add(FakeDockerJson.task(engine.swarm, t));
            }
        }
        return out;
    }

    private FakeDockerEvents.Stream events(FakeDockerHttp.Request req, FakeDockerHttp.Connection c)
            throws IOException, ApiError {
        long since = timestamp("since", req.query().get("since"));
        long until = timestamp("until", req.query().get("until"));
        if (until != 0 && until < since) {
            throw ApiError.badRequest("`since` time (" + req.query().get("since") + ") cannot be after `until` time ("
                    + req.query().get("until") + ")");
        }
        DockerFilters f = DockerFilters.parse(req.query().get("filters"));
        return engine.events.open(c, headers("application/json"), f, since, until, req);
    }

    private void checkVersion(String version) throws ApiError {
        if (version == null) {
            return;
        }
        if (compare(version, FakeDockerEngine.MIN_API_VERSION) < 0) {
            throw ApiError.badRequest("client version " + version + " is too old. Minimum supported API version is "
                    + FakeDockerEngine.MIN_API_VERSION + ", please upgrade your client to a newer version");
        }
        if (compare(version, FakeDockerEngine.API_VERSION) > 0) {
            throw ApiError.badRequest("client version " + version + " is too new. Maximum supported API version is "
                    + FakeDockerEngine.API_VERSION);
        }
    }

    /** The daemon's {@code versions.compareVersions}: numeric, part by part, missing parts are 0. */
    static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            long p = i < x.length && !x[i].isEmpty() ? Long.parseLong(x[i]) : 0;
            long q = i < y.length && !y[i].isEmpty() ? Long.parseLong(y[i]) : 0;
            if (p != q) {
                return Long.compare(p, q);
            }
        }
        return 0;
    }

    /** Seconds since the epoch with an optional fraction ({@code 1718000000.123456789}), in nanoseconds. */
    private static long timestamp(String name, String value) throws ApiError {
        if (value == null || value.isEmpty()) {
            return 0;
        }
        if (!value.matches("\\d+(\\.\\d{1,9})?")) {
            throw ApiError.badRequest(name + ": " + value + " (expected: seconds since the epoch, as the Docker CLI sends)");
        }
        int dot = value.indexOf('.');
        long seconds = Long.parseLong(dot < 0 ? value : value.substring(0, dot));
        long nanos = dot < 0 ? 0 : Long.parseLong((value.substring(dot + 1) + "00000000").substring(0, 9));
        return seconds * 1_000_000_000L + nanos;
    }

    /** The daemon's {@code httputils.BoolValue}. */
    private static boolean bool(String v) {
        if (v == null) {
            return false;
        }
        String s = v.trim().toLowerCase();
        return !(s.isEmpty() || s.equals("0") || s.equals("no") || s.equals("false") || s.equals("none"));
    }

    private void json(FakeDockerHttp.Connection c, JsonNode body) throws IOException {
        try {
            byte[] bytes = (FakeDockerJson.MAPPER.writeValueAsString(body) + "\n").getBytes(StandardCharsets.UTF_8);
            c.respond(200, headers("application/json"), bytes, false);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The headers the daemon's middlewares put on every answer of a known route. */
    private static Map<String, String> headers(String contentType) {
        Map<String, String> h = new TreeMap<>();
        h.put("Api-Version", FakeDockerEngine.API_VERSION);
        h.put("Content-Type", contentType);
        h.put("Date", FakeDockerHttp.date());
        h.put("Docker-Experimental", "false");
        h.put("Ostype", "linux");
        h.put("Server", "Docker/" + FakeDockerEngine.ENGINE_VERSION + " (linux)");
        return h;
    }

    private static byte[] message(String message) {
        return ("{\"message\":" + FakeDockerJson.MAPPER.getNodeFactory().textNode(message) + "}\n")
                .getBytes(StandardCharsets.UTF_8);
    }
}
