package dev.sluice.discovery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The engine's event log: the last 256 events (replayed to a subscriber that asks
 * {@code since}) and the open {@code GET /events} streams. Events go out in the order they were
 * published, each one JSON object and a newline in its own chunk.
 */
final class FakeDockerEvents {

    /** As many events as the daemon keeps for {@code since} ({@code eventsLimit}). */
    static final int HISTORY = 256;

    /** An {@code events.Message} of a cluster object: no legacy {@code status/id/from} fields. */
    record Event(String type, String action, String actorId, Map<String, String> attributes, Instant time) {

        long timeNano() {
            return time.getEpochSecond() * 1_000_000_000L + time.getNano();
        }

        byte[] line() {
            ObjectNode n = FakeDockerJson.MAPPER.createObjectNode();
            n.put("Type", type);
            n.put("Action", action);
            ObjectNode actor = n.putObject("Actor");
            actor.put("ID", actorId);
            ObjectNode attrs = actor.putObject("Attributes");
            new TreeMap<>(attributes).forEach(attrs::put);
            n.put("scope", "swarm");
            n.put("time", time.getEpochSecond());
            n.put("timeNano", timeNano());
            try {
                return (FakeDockerJson.MAPPER.writeValueAsString(n) + "\n").getBytes(StandardCharsets.UTF_8);
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The daemon's {@code events.Filter.Include} for the filters a cluster event can meet. */
        boolean matches(DockerFilters f) {
            if (!f.exactMatch("event", action) || !f.exactMatch("type", type) || !f.exactMatch("scope", "swarm")) {
                return false;
            }
            if (!f.matchLabels("label", attributes)) {
                return false;
            }
            for (String kind : List.of("config", "container", "daemon", "image", "network", "node", "plugin",
                    "secret", "service", "volume")) {
                if (f.contains(kind) && !f.fuzzyMatch(kind, actorId) && !f.fuzzyMatch(kind, attributes.get("name"))) {
                    return false;
                }
            }
            return true;
        }
    }

    /** One open {@code GET /events} response. */
    final class Stream {
        private final FakeDockerHttp.Connection connection;
        private final DockerFilters filters;
        private final boolean chunked;
        private final boolean keepAlive;
        private final CountDownLatch ended = new CountDownLatch(1);

        private Stream(FakeDockerHttp.Connection connection, DockerFilters filters, boolean chunked, boolean keepAlive) {
            this.connection = connection;
            this.filters = filters;
            this.chunked = chunked;
            this.keepAlive = keepAlive;
        }

        /** Blocks until the response has ended (by {@code until}, a drop, or the client leaving). */
        void awaitEnd() throws InterruptedException {
            ended.await();
        }

        private void send(Event e) {
            try {
                connection.writeChunk(e.line(), chunked);
            } catch (IOException gone) {
                end(false);
            }
        }

        /** Ends the response: completely when {@code complete}, else by cutting the connection. */
        private void end(boolean complete) {
            if (!streams.remove(this)) {
                return;
            }
            try {
                if (complete && chunked && keepAlive) {
                    connection.endChunks();
                } else {
                    connection.close();
                }
            } catch (IOException ignored) {
                closeQuietly(connection);
            } finally {
                ended.countDown();
            }
        }
    }

    private final ScheduledExecutorService timer;
    private final Deque<Event> history = new ArrayDeque<>();
    private final List<Stream> streams = new ArrayList<>();
    private boolean paused;

    FakeDockerEvents(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /** Sends {@code e} to every stream whose filters take it; a paused log loses it. */
    synchronized void publish(Event e) {
        if (paused) {
            return;
        }
        history.addLast(e);
        if (history.size() > HISTORY) {
            history.removeFirst();
        }
        for (Stream s : List.copyOf(streams)) {
            if (e.matches(s.filters)) {
                s.send(e);
            }
        }
    }

    /**
     * Answers {@code GET /events}: the headers at once (the daemon flushes them before any event),
     * the logged events since {@code sinceNano} when asked, then live events until
     * {@code untilNano} (0: no end). Returns null when the response already ended.
     */
    synchronized Stream open(FakeDockerHttp.Connection connection, Map<String, String> headers, DockerFilters filters,
                             long sinceNano, long untilNano, FakeDockerHttp.Request request) throws IOException {
        boolean chunked = request.http11();
        connection.startStream(200, headers, chunked);
        Stream s = new Stream(connection, filters, chunked, request.keepAlive() && chunked);
        streams.add(s);
        if (sinceNano > 0 || untilNano > 0) {
            for (Event e : history) {
                if (e.timeNano() >= sinceNano && (untilNano == 0 || e.timeNano() <= untilNano) && e.matches(filters)) {
                    s.send(e);
                }
            }
        }
        if (untilNano == 0) {
            return s;
        }
        long waitNanos = untilNano - nowNano();
        if (waitNanos <= 0) {
            s.end(true);
            return null;
        }
        timer.schedule(() -> {
            synchronized (this) {
                s.end(true);
            }
        }, waitNanos, TimeUnit.NANOSECONDS);
        return s;
    }

    /** The client of {@code s} left or sent another request: its stream is no longer open. */
    synchronized void forget(Stream s) {
        s.end(false);
    }

    synchronized void pause(boolean paused) {
        this.paused = paused;
    }

    /** Cuts every open stream, as a restarting daemon does (no final chunk). */
    synchronized void dropAll() {
        for (Stream s : List.copyOf(streams)) {
            s.end(false);
        }
    }

    synchronized int openStreams() {
        return streams.size();
    }

    private static long nowNano() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private static void closeQuietly(FakeDockerHttp.Connection c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // already gone
        }
    }
}
