package dev.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.routing.Bind;
import dev.sluice.routing.RoutingCompiler;
import dev.sluice.routing.RoutingTable;
import dev.sluice.routing.Server;
import dev.sluice.routing.ServerState;
import dev.sluice.routing.StateEvents;
import dev.sluice.routing.config.ConfigParser;
import dev.sluice.routing.config.ParseResult;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * server-template slots filled by {@link DnsDiscovery} from a real (test) DNS server, through a
 * real proxy, with three backends on 127.0.0.1, 127.0.0.2 and 127.0.0.3 on the same port.
 */
class DnsDiscoveryTest {

    private TestDnsServer dns;
    private final List<TestBackend> backends = new ArrayList<>();
    private TestBackend other;
    private ProxyServer proxy;
    private DnsDiscovery discovery;
    private int backendPort;
    private int port;
    private String configText;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeEach
    void start() {
        dns = TestDnsServer.start();
        TestBackend first = TestBackend.start("b1", "127.0.0.1", 0);
        backendPort = first.port();
        backends.add(first);
        backends.add(TestBackend.start("b2", "127.0.0.2", backendPort));
        backends.add(TestBackend.start("b3", "127.0.0.3", backendPort));
        other = TestBackend.start("other");
    }

    @AfterEach
    void stop() {
        if (discovery != null) {
            discovery.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        backends.forEach(TestBackend::close);
        other.close();
        dns.close();
    }

    private RoutingTable compile(RoutingTable previous) {
        ParseResult r = ConfigParser.parse(configText, "dns.cfg", null);
        assertThat(r.errors()).isEmpty();
        // port 0 (any free port) exists only in the model, not in the file syntax
        return RoutingCompiler.compile(r.config().withBinds("fe", List.of(new Bind("127.0.0.1", 0, false))), previous);
    }

    private void startProxy(String backendLines) throws Exception {
        configText = "resolvers test\n nameserver dns 127.0.0.1:" + dns.address().getPort() + "\n"
                + "frontend fe\n bind 127.0.0.1:1\n use_backend other if { path_beg /other }\n"
                + " use_backend gone if { path_beg /gone }\n default_backend web\n"
                + "backend web\n" + backendLines
                + "backend gone\n server-template gone 2 tasks.gone:" + backendPort + " resolvers test\n"
                + "backend other\n server o 127.0.0.1:" + other.port() + "\n";
        RoutingTable table = compile(null);
        proxy = ProxyServer.start(table, 2);
        port = proxy.ports("fe").get(0);
        discovery = DnsDiscovery.start(DnsDiscovery.Settings.DEFAULT.withInterval(Duration.ofMinutes(10)));
        discovery.reconcile(table).get(5, TimeUnit.SECONDS);
    }

    private HttpResponse<String> get(String path, String cookie) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The servers (X-Server) that answered {@code n} requests. */
    private Set<String> servedBy(int n) throws Exception {
        Set<String> seen = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            HttpResponse<String> r = get("/", null);
            assertThat(r.statusCode()).isEqualTo(200);
            seen.add(r.headers().firstValue("X-Server").orElse("?"));
        }
        return seen;
    }

    private Map<String, ServerState> slotsByAddress() {
        Map<String, ServerState> out = new HashMap<>();
        for (Server s : proxy.table().backend("web").servers()) {
            InetSocketAddress a = s.state().address();
            if (a != null) {
                out.put(a.getAddress().getHostAddress(), s.state());
            }
        }
        return out;
    }

    @Test
    void answersChange_serversAreAddedAndRemoved_withoutAFailedRequest() throws Exception {
        dns.answer("tasks.web", "127.0.0.1", "127.0.0.2");
        startProxy(" server-template web 4 tasks.web:" + backendPort + " resolvers test\n");
        assertThat(servedBy(12)).containsExactly("b1", "b2");
        Map<String, ServerState> before = slotsByAddress();
        assertThat(before.get("127.0.0.1").server()).isEqualTo("web1");
        assertThat(before.get("127.0.0.2").server()).isEqualTo("web2");

        dns.answer("tasks.web", "127.0.0.3", "127.0.0.2", "127.0.0.1");
        discovery.refreshNow().get(5, TimeUnit.SECONDS);
        assertThat(servedBy(12)).containsExactly("b1", "b2", "b3");
        Map<String, ServerState> after = slotsByAddress();
        assertThat(after.get("127.0.0.1")).isSameAs(before.get("127.0.0.1"));
        assertThat(after.get("127.0.0.2")).isSameAs(before.get("127.0.0.2"));
        assertThat(after.get("127.0.0.3").server()).isEqualTo("web3");

        // a client sends continuously while the first task disappears from DNS
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger ok = new AtomicInteger();
        List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread load = new Thread(() -> {
            for (int i = 0; i < 5000 && !stop.get(); i++) {
                try {
                    HttpResponse<String> r = get("/", null);
                    if (r.statusCode() == 200) {
                        ok.incrementAndGet();
                    } else {
                        failures.add("status " + r.statusCode());
                    }
                } catch (Exception e) {
                    failures.add(e.toString());
                }
            }
        });
        load.start();
        while (ok.get() < 50 && load.isAlive()) {
            Thread.sleep(5);
        }
        dns.answer("tasks.web", "127.0.0.2", "127.0.0.3");
        discovery.refreshNow().get(5, TimeUnit.SECONDS);
        int okAtChange = ok.get();
        Thread.sleep(50); // requests already sent to b1 finish
        int b1Requests = backends.get(0).requests();
        while (ok.get() < okAtChange + 200 && load.isAlive()) {
            Thread.sleep(5);
        }
        stop.set(true);
        load.join(10_000);

        assertThat(failures).isEmpty();
        assertThat(ok.get()).isGreaterThanOrEqualTo(okAtChange + 200);
        assertThat(backends.get(0).requests()).as("requests to the vanished task").isEqualTo(b1Requests);
        assertThat(servedBy(12)).containsExactly("b2", "b3");
        assertThat(before.get("127.0.0.1").address()).isNull();
        assertThat(slotsByAddress().get("127.0.0.2")).isSameAs(before.get("127.0.0.2"));
    }

    @Test
    void republishedTable_keepsSlotsAndTheirAddresses() throws Exception {
        dns.answer("tasks.web", "127.0.0.1", "127.0.0.2");
        startProxy(" server-template web 3 tasks.web:" + backendPort + " resolvers test\n");
        Map<String, ServerState> before = slotsByAddress();
        servedBy(4);
        RoutingTable next = compile(proxy.table());
        proxy.update(next);
        discovery.reconcile(next).get(5, TimeUnit.SECONDS);
        assertThat(slotsByAddress()).isEqualTo(before);
        assertThat(servedBy(8)).containsExactly("b1", "b2");
    }

    @Test
    void serverNamedByAHostName_isResolvedInTheBackground_andIsDownWhileTheNameDoesNotResolve() throws Exception {
        dns.answer("shop.swarm", "127.0.0.2");
        startProxy(" server shop shop.swarm:" + backendPort + " resolvers test\n");
        ServerState shop = proxy.table().backend("web").servers().get(0).state();
        assertThat(shop.address()).isEqualTo(new InetSocketAddress("127.0.0.2", backendPort));
        assertThat(get("/", null).headers().firstValue("X-Server")).hasValue("b2");

        // the service is removed from the Swarm: its name stops resolving
        dns.remove("shop.swarm");
        discovery.refreshNow().get(5, TimeUnit.SECONDS);
        assertThat(shop.describe()).isEqualTo("DOWN (DNS)");
        assertThat(shop.lastError()).isEqualTo("DNS: no such host shop.swarm");
        assertThat(get("/", null).statusCode()).isEqualTo(503);
        assertThat(get("/other", null).statusCode()).isEqualTo(200);
        assertThat(StateEvents.of("web", "shop")).last()
                .satisfies(e -> assertThat(e.reason()).isEqualTo("DNS: no such host shop.swarm"));

        // it comes back on another address (a new virtual IP): traffic follows, no restart
        dns.answer("shop.swarm", "127.0.0.3");
        discovery.refreshNow().get(5, TimeUnit.SECONDS);
        assertThat(shop.describe()).isEqualTo("UP");
        assertThat(get("/", null).headers().firstValue("X-Server")).hasValue("b3");
    }

    @Test
    void serverRenamedFromAHostNameToItsAddress_takesTrafficAtOnce() throws Exception {
        // DFP's reconfigure with serviceName only, then again with outboundHostname: the same
        // backend and server name, first a name that does not resolve, then an address
        startProxy(" server shop nosuch.swarm:" + backendPort + " resolvers test\n");
        ServerState shop = proxy.table().backend("web").servers().get(0).state();
        assertThat(shop.describe()).isEqualTo("DOWN (DNS)");
        assertThat(get("/", null).statusCode()).isEqualTo(503);

        configText = configText.replace("nosuch.swarm:", "127.0.0.2:");
        RoutingTable next = compile(proxy.table());
        assertThat(next.backend("web").servers().get(0).state()).isSameAs(shop);
        proxy.update(next);
        discovery.reconcile(next).get(5, TimeUnit.SECONDS);
        assertThat(shop.describe()).isEqualTo("UP");
        HttpResponse<String> r = get("/", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("X-Server")).hasValue("b2");

        // and from a name that resolved to an address: the old name's address is not used
        dns.answer("shop.swarm", "127.0.0.3");
        configText = configText.replace("127.0.0.2:", "shop.swarm:");
        next = compile(proxy.table());
        proxy.update(next);
        discovery.reconcile(next).get(5, TimeUnit.SECONDS);
        assertThat(get("/", null).headers().firstValue("X-Server")).hasValue("b3");
        configText = configText.replace("shop.swarm:", "127.0.0.1:");
        next = compile(proxy.table());
        proxy.update(next);
        discovery.reconcile(next).get(5, TimeUnit.SECONDS);
        assertThat(shop.address()).isNull();
        assertThat(get("/", null).headers().firstValue("X-Server")).hasValue("b1");
    }

    @Test
    void nameThatDoesNotResolve_answers503WithTheReason_andOtherBackendsWork() throws Exception {
        dns.answer("tasks.web", "127.0.0.1");
        startProxy(" server-template web 2 tasks.web:" + backendPort + " resolvers test\n");
        assertThat(get("/gone", null).statusCode()).isEqualTo(503);
        ServerState gone = proxy.table().backend("gone").servers().get(0).state();
        assertThat(gone.lastError()).isEqualTo("DNS: no such host tasks.gone");
        assertThat(gone.isUsable()).isFalse();
        assertThat(get("/other", null).statusCode()).isEqualTo(200);
        assertThat(get("/", null).statusCode()).isEqualTo(200);

        // the name appears: its slot takes traffic, and the error is cleared
        dns.answer("tasks.gone", "127.0.0.3");
        discovery.refreshNow().get(5, TimeUnit.SECONDS);
        HttpResponse<String> r = get("/gone", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("X-Server")).hasValue("b3");
        assertThat(gone.lastError()).isNull();
    }

    @Test
    void stickyCookie_staysWithItsTask_whenOtherTasksComeAndGo() throws Exception {
        dns.answer("tasks.web", "127.0.0.1", "127.0.0.2");
        startProxy(" cookie web insert indirect nocache\n server-template web 3 tasks.web:" + backendPort
                + " resolvers test cookie web\n");
        HttpResponse<String> first = get("/", null);
        String setCookie = first.headers().firstValue("Set-Cookie").orElseThrow();
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        String server = first.headers().firstValue("X-Server").orElseThrow();
        String address = server.equals("b1") ? "127.0.0.1" : "127.0.0.2";
        assertThat(cookie).isEqualTo("web=web-" + address);

        // the other task goes, a new one comes and takes the freed slot
        dns.answer("tasks.web", address, "127.0.0.3");
        discovery.refreshNow().get(5, TimeUnit.SECONDS);
        for (int i = 0; i < 6; i++) {
            assertThat(get("/", cookie).headers().firstValue("X-Server")).hasValue(server);
        }
        // the task itself goes: the cookie no longer names a server, the request is balanced
        dns.answer("tasks.web", "127.0.0.3");
        discovery.refreshNow().get(5, TimeUnit.SECONDS);
        HttpResponse<String> moved = get("/", cookie);
        assertThat(moved.statusCode()).isEqualTo(200);
        assertThat(moved.headers().firstValue("X-Server")).hasValue("b3");
        assertThat(moved.headers().firstValue("Set-Cookie")).hasValueSatisfying(c -> c.startsWith("web=web-127.0.0.3;"));
    }

    @Test
    void moreAddressesThanSlots_extraOnesAreIgnored() throws Exception {
        dns.answer("tasks.web", "127.0.0.1", "127.0.0.2", "127.0.0.3");
        startProxy(" server-template web 2 tasks.web:" + backendPort + " resolvers test\n");
        assertThat(slotsByAddress()).containsOnlyKeys("127.0.0.1", "127.0.0.2");
        assertThat(servedBy(8)).containsExactly("b1", "b2");
    }

    @Test
    void resolversVariable_isReadInDockerFlowProxysFormat() {
        assertThat(Resolvers.parse("nameserver dns 127.0.0.11:53, nameserver b 10.0.0.2:5353\n10.0.0.3"))
                .containsExactly(new InetSocketAddress("127.0.0.11", 53), new InetSocketAddress("10.0.0.2", 5353),
                        new InetSocketAddress("10.0.0.3", 53));
        assertThat(Resolvers.parse("")).isEmpty();
        assertThatThrownBy(() -> Resolvers.parse("nameserver dns"))
                .hasMessageContaining("expected nameserver NAME IP:PORT");
        assertThatThrownBy(() -> Resolvers.parse("nameserver dns dns.example:53"))
                .hasMessageContaining("expected an IP address");
    }
}
