package dev.sluice.discovery.docker;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The few Docker Engine API calls discovery makes: the API version is negotiated once (the
 * engine's {@code ApiVersion}, at most the newest this client knows), then services with the
 * notify label, one service, its tasks, and the service event stream.
 */
final class DockerApi implements AutoCloseable {

    /** The newest API version whose shapes this client reads. */
    static final String MAX_VERSION = "1.45";
    /** Swarm services with labels and tasks with network attachments: Docker 17.06 and later. */
    static final String MIN_VERSION = "1.30";

    private final DockerHttp http;
    private volatile String prefix;

    /** The engine said this node is not a swarm manager: services cannot be listed here. */
    static final class NotManagerException extends IOException {
        NotManagerException(String message) {
            super(message);
        }
    }

    DockerApi(DockerHost host, long timeoutMillis) {
        this.http = new DockerHttp(host, timeoutMillis);
    }

    /** Asks the engine's version and settles the one this client speaks; returns it. */
    String negotiate() throws IOException {
        DockerHttp.Response r = http.get("/version");
        if (r.status() != 200) {
            throw new IOException("Docker engine: GET /version answered " + r.status() + ": " + r.message());
        }
        String engine = r.json().path("ApiVersion").asText("");
        if (engine.isEmpty()) {
            throw new IOException("Docker engine: GET /version has no ApiVersion");
        }
        if (compare(engine, MIN_VERSION) < 0) {
            throw new IOException("Docker engine API " + engine + " is too old (expected: " + MIN_VERSION + " or later)");
        }
        String version = compare(engine, MAX_VERSION) < 0 ? engine : MAX_VERSION;
        prefix = "/v" + version;
        return version;
    }

    /** Every service that has the {@code com.df.notify} label (its value is checked by the caller). */
    List<JsonNode> notifyServices() throws IOException {
        return array(get("/services?filters=" + filters("label", "com.df.notify")));
    }

    /** The service, or {@code null} when it no longer exists. */
    JsonNode service(String id) throws IOException {
        DockerHttp.Response r = http.get(prefix() + "/services/" + URLEncoder.encode(id, StandardCharsets.UTF_8));
        if (r.status() == 404) {
            return null;
        }
        return check(r, "GET /services/" + id).json();
    }

    /** How many of the service's tasks run now. */
    int runningTasks(String serviceId) throws IOException {
        String f = "{\"service\":[" + quote(serviceId) + "],\"desired-state\":[\"running\"]}";
        int running = 0;
        for (JsonNode task : array(get("/tasks?filters=" + URLEncoder.encode(f, StandardCharsets.UTF_8)))) {
            if ("running".equals(task.path("Status").path("State").asText())) {
                running++;
            }
        }
        return running;
    }

    /** Follows service events from {@code sinceSeconds} (epoch) until the stream ends or {@code stop} closes it. */
    void events(long sinceSeconds, Consumer<JsonNode> onEvent, Consumer<AutoCloseable> stop) throws IOException {
        DockerHttp.Response r = http.stream(prefix() + "/events?since=" + sinceSeconds + "&filters="
                + filters("type", "service"), line -> {
            try {
                onEvent.accept(DockerHttp.JSON.readTree(line));
            } catch (IOException e) {
                // a line that is not JSON is not an event
            }
        }, stop);
        check(r, "GET /events");
    }

    private DockerHttp.Response get(String target) throws IOException {
        return check(http.get(prefix() + target), "GET " + target);
    }

    private static DockerHttp.Response check(DockerHttp.Response r, String what) throws IOException {
        if (r.status() == 503 && r.message().contains("not a swarm manager")) {
            throw new NotManagerException(r.message());
        }
        if (r.status() != 200) {
            throw new IOException("Docker engine: " + what + " answered " + r.status() + ": " + r.message());
        }
        return r;
    }

    private String prefix() throws IOException {
        String p = prefix;
        return p != null ? p : "/v" + negotiate();
    }

    private static List<JsonNode> array(DockerHttp.Response r) throws IOException {
        JsonNode node = r.json();
        if (!node.isArray()) {
            throw new IOException("Docker engine: expected a JSON array, got " + node.getNodeType());
        }
        List<JsonNode> out = new ArrayList<>(node.size());
        node.forEach(out::add);
        return out;
    }

    private static String filters(String name, String value) {
        return URLEncoder.encode("{\"" + name + "\":[" + quote(value) + "]}", StandardCharsets.UTF_8);
    }

    private static String quote(String s) {
        return DockerHttp.JSON.getNodeFactory().textNode(s).toString();
    }

    /** Compares API versions such as 1.9 and 1.41 by their numbers. */
    static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int p = i < x.length ? Integer.parseInt(x[i]) : 0;
            int q = i < y.length ? Integer.parseInt(y[i]) : 0;
            if (p != q) {
                return Integer.compare(p, q);
            }
        }
        return 0;
    }

    @Override
    public void close() {
        http.close();
    }
}
