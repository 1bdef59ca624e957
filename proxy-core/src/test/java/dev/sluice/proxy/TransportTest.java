package dev.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code TRANSPORT}: which transport a name gives, what a wrong name says, and a proxy on
 * io_uring serving real requests. (The build also runs this module's whole suite a second time
 * on io_uring: the {@code io-uring} execution in its pom.)
 */
class TransportTest {

    private final String before = System.getProperty(Transport.PROPERTY);

    @AfterEach
    void restoreProperty() {
        if (before == null) {
            System.clearProperty(Transport.PROPERTY);
        } else {
            System.setProperty(Transport.PROPERTY, before);
        }
    }

    @Test
    void names_areReadInAnyCase_andNothingMeansEpoll() {
        assertThat(Transport.parse("epoll")).isEqualTo(Transport.EPOLL);
        assertThat(Transport.parse(" IO_URING ")).isEqualTo(Transport.IO_URING);
        assertThat(Transport.parse("Nio")).isEqualTo(Transport.NIO);
        assertThat(Transport.parse(null)).isEqualTo(Transport.EPOLL);
        assertThat(Transport.parse("")).isEqualTo(Transport.EPOLL);
        for (Transport t : Transport.values()) {
            assertThat(Transport.parse(t.label())).isEqualTo(t);
        }
    }

    @Test
    void aWrongName_saysWhatItExpected() {
        assertThatThrownBy(() -> Transport.parse("uring"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("TRANSPORT: 'uring' (expected epoll, io_uring or nio)");
        assertThatThrownBy(() -> Transport.choose("kqueue", w -> { }))
                .hasMessageContaining("'kqueue'");
    }

    @Test
    void dnsDiscovery_staysOffIoUring() {
        assumeTrue(Epoll.isAvailable(), "native epoll does not load on this machine");
        assertThat(Transport.IO_URING.withoutIoUring()).isEqualTo(Transport.EPOLL);
        assertThat(Transport.EPOLL.withoutIoUring()).isEqualTo(Transport.EPOLL);
        assertThat(Transport.NIO.withoutIoUring()).isEqualTo(Transport.NIO);
    }

    @Test
    void whatLoadsHere_isChosenWithoutWarning() {
        assumeTrue(Epoll.isAvailable(), "native epoll does not load on this machine");
        List<String> warnings = new ArrayList<>();
        assertThat(Transport.choose(null, warnings::add)).isEqualTo(Transport.EPOLL);
        assertThat(Transport.choose("epoll", warnings::add)).isEqualTo(Transport.EPOLL);
        assertThat(Transport.choose("nio", warnings::add)).isEqualTo(Transport.NIO);
        Transport uring = Transport.choose("io_uring", warnings::add);
        if (IoUring.isAvailable()) {
            assertThat(uring).isEqualTo(Transport.IO_URING);
            assertThat(warnings).isEmpty();
        } else {
            // the kernel (or a seccomp profile) refuses io_uring: epoll, and the warning says why
            assertThat(uring).isEqualTo(Transport.EPOLL);
            assertThat(warnings).singleElement().asString()
                    .startsWith("TRANSPORT=io_uring: io_uring is not available here (").endsWith("; using epoll");
        }
    }

    @Test
    void aProxyOnIoUring_servesKeepAliveRequestsBodiesAndPipelinedRequests() throws Exception {
        assumeTrue(IoUring.isAvailable(), "io_uring is not available on this machine");
        System.setProperty(Transport.PROPERTY, "io_uring");
        TestBackend backend = TestBackend.start("b1");
        ProxyServer proxy = ProxyServer.start(Tables.builder().server(backend.port()).build(), 2);
        try {
            assertThat(proxy.transport()).isEqualTo(Transport.IO_URING);
            int port = proxy.ports(Tables.FRONTEND).get(0);
            try (RawHttpClient c = new RawHttpClient(port)) {
                for (int i = 0; i < 3; i++) {
                    RawHttpClient.Response r = c.get("/keep/" + i);
                    assertThat(r.status()).isEqualTo(200);
                    assertThat(r.header("x-server")).isEqualTo("b1");
                    assertThat(r.bodyText()).contains("uri=/keep/" + i);
                }
                byte[] body = new byte[1_000_000];
                c.send("PUT /upload HTTP/1.1\r\nHost: h\r\nContent-Length: " + body.length + "\r\n\r\n");
                c.send(body);
                assertThat(c.read().bodyText()).isEqualTo("received=" + body.length);
                c.send("GET /bytes?n=300000 HTTP/1.1\r\nHost: h\r\n\r\nGET /after HTTP/1.1\r\nHost: h\r\n\r\n");
                assertThat(c.read().body()).hasSize(300_000);
                assertThat(c.read().bodyText()).contains("uri=/after");
            }
            // one origin connection served all five: the pool works on io_uring too
            assertThat(backend.connections()).isEqualTo(1);
        } finally {
            proxy.close();
            backend.close();
        }
    }
}
