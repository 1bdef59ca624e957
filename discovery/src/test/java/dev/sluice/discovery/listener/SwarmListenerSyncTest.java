package dev.sluice.discovery.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.sluice.discovery.RecordingSink;
import dev.sluice.discovery.ServiceSink;
import dev.sluice.discovery.Source;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** Against a small HTTP server answering the Swarm Listener's get-services as the real one does. */
class SwarmListenerSyncTest {

    private final AtomicReference<String> listed = new AtomicReference<>("[]");
    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicInteger fetches = new AtomicInteger();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private HttpServer listener;
    private SwarmListenerSync sync;

    private String startListener() throws Exception {
        listener = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        listener.createContext(SwarmListenerSync.PATH, exchange -> {
            fetches.incrementAndGet();
            byte[] body = listed.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status.get(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        listener.start();
        return "127.0.0.1:" + listener.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        if (sync != null) {
            sync.close();
        }
        if (listener != null) {
            listener.stop(0);
        }
    }

    @Test
    void everyFetchReconcilesFully_soAServiceTheListenerNoLongerListsIsRemoved() throws Exception {
        String address = startListener();
        RecordingSink sink = new RecordingSink();
        listed.set("[{\"serviceName\":\"go-demo_main\",\"servicePath\":\"/demo\",\"port\":\"8080\",\"distribute\":\"true\","
                + "\"replicas\":\"3\"},{\"serviceName\":\"web\",\"servicePath\":\"/\",\"port\":\"80\"}]");
        sync = new SwarmListenerSync(address, sink, Duration.ofMillis(200), new PrintStream(log, true), () -> { });
        assertThat(sync.fetchedOnce()).isFalse();

        ServiceSink.Reconciled first = sync.fetchNow().get();

        assertThat(first.added()).containsExactly("go-demo_main", "web");
        assertThat(sync.fetchedOnce()).isTrue();
        assertThat(sink.param("go-demo_main", "servicePath")).isEqualTo("/demo");
        assertThat(sink.services().get("go-demo_main")).doesNotContainKey("distribute");
        assertThat(sink.sourceOf("web")).isEqualTo(Source.LISTENER);

        listed.set("[{\"serviceName\":\"web\",\"servicePath\":\"/\",\"port\":\"80\"}]");
        sync.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> !sink.services().containsKey("go-demo_main"));
        assertThat(sink.services()).containsOnlyKeys("web");
    }

    @Test
    void aListenerThatDoesNotAnswer_changesNothing_andSaysWhy() throws Exception {
        String address = startListener();
        RecordingSink sink = new RecordingSink();
        status.set(500);
        sync = new SwarmListenerSync("nowhere.invalid:1," + address, sink, Duration.ofSeconds(60),
                new PrintStream(log, true), () -> { });

        assertThatThrownBy(() -> sync.fetchNow().get()).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("no Swarm Listener answered").hasMessageContaining("answered 500");
        assertThat(sync.fetchedOnce()).isFalse();
        assertThat(sink.calls()).isEmpty();
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("listener: get-services failed");

        status.set(200);
        listed.set("[{\"serviceName\":\"x\",\"servicePath\":\"/x\",\"port\":\"1\"}]");
        sync.fetchNow().get();
        assertThat(sink.services()).containsOnlyKeys("x");
        assertThat(fetches.get()).isEqualTo(2);
    }

    @Test
    void addresses_implyPort8080_andABadOneIsAClearError() {
        assertThat(SwarmListenerSync.addresses("swarm-listener, other:9000"))
                .extracting(u -> u.getHost() + ":" + u.getPort() + u.getPath())
                .containsExactly("swarm-listener:8080" + SwarmListenerSync.PATH, "other:9000" + SwarmListenerSync.PATH);
        assertThatThrownBy(() -> SwarmListenerSync.addresses(" , ")).hasMessageContaining("LISTENER_ADDRESS: empty");
        assertThatThrownBy(() -> SwarmListenerSync.addresses("ftp://x")).hasMessageContaining("LISTENER_ADDRESS: ftp://x");
    }
}
