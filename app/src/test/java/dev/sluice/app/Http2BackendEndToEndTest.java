package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.proxy.H2TestBackend;
import dev.sluice.proxy.RawHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code proto h2} from configuration text: h2c origins beside HTTP/1.1 ones, trailers relayed. */
class Http2BackendEndToEndTest {

    @RegisterExtension
    static final ProxyFixture sluice = new ProxyFixture();

    private static H2TestBackend grpc;

    @BeforeAll
    static void startH2Origin() {
        grpc = H2TestBackend.start("grpc");
    }

    @AfterAll
    static void stopH2Origin() {
        grpc.close();
    }

    @Test
    void defaultServerProtoH2_sendsThatBackendsRequestsOverHttp2_whileOtherBackendsStayHttp11() throws Exception {
        int port = sluice.start("""
                frontend fe
                    use_backend api if { path_beg /api }
                    default_backend web
                backend api
                    default-server proto h2
                    server g1 127.0.0.1:%d
                backend web
                    server w1 {{web}}
                """.formatted(grpc.port()));

        try (RawHttpClient c = new RawHttpClient(port)) {
            c.send("POST /api/upload HTTP/1.1\r\nHost: api.test\r\nTE: trailers\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "4\r\ndata\r\n0\r\nX-Checksum: c0ffee\r\n\r\n");
            RawHttpClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("x-backend")).isEqualTo("grpc");
            assertThat(r.bodyText()).startsWith("server=grpc uri=/api/upload host=api.test te=trailers").endsWith("data");
            assertThat(r.trailer("x-trailer")).isEqualTo("done");
            assertThat(r.trailer("x-echo-trailer")).isEqualTo("c0ffee");

            RawHttpClient.Response web = c.get("/page");
            assertThat(web.status()).isEqualTo(200);
            assertThat(web.header("x-server")).isEqualTo("web");
        }
        assertThat(grpc.streams()).isEqualTo(1);
    }
}
